// REDIS_URL pointing at nothing: the server starts, says so in /healthz (200, "degraded",
// redis "down"), keeps serving pages and live sockets, and shuts down cleanly.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/app";
import { joined, makeSession, makeUser, startLiveServer, stopLiveServer, type Harness } from "./live-helpers";

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

let h: Harness;
let server: RunningServer;

beforeAll(async () => {
  h = await startLiveServer({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, REDIS_PREFIX: `test-${process.pid}-${Date.now()}` });
  server = h.server;
}, 120_000);

afterAll(async () => {
  await stopLiveServer(h);
  delete process.env.REDIS_URL;
});

describe("Redis unreachable", () => {
  it("/healthz: 200, degraded, redis down; pages still served", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "degraded", database: "ok", media: "ok", redis: "down" });
    const page = await fetch(`${server.url}/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<form");
  });

  it("a live socket connects and joins a room on this process", async () => {
    const host = await makeUser("expert");
    const session = await makeSession(host.id);
    const { data } = await joined(h, host.id, session.id);
    expect(data.peerId).toEqual(expect.any(String));
  });
});

describe("Redis reachable", () => {
  it("/healthz says redis ok; closing quits the clients without unhandled errors", async () => {
    const prefix = `test-${process.pid}-${Date.now()}-up`;
    const { startServer } = await import("../../server/app");
    const { closeRedisClients } = await import("~/domains/redis.server");
    await stopLiveServer(h);
    h = undefined as unknown as Harness;
    await closeRedisClients();
    process.env.REDIS_URL = "redis://127.0.0.1:6379";
    process.env.REDIS_PREFIX = prefix;
    const up = await startServer({ port: 0, host: "127.0.0.1", log: () => undefined });
    try {
      let body: { redis?: string } = {};
      for (let i = 0; i < 50 && body.redis !== "ok"; i++) {
        body = await (await fetch(`${up.url}/healthz`)).json();
        if (body.redis !== "ok") await new Promise((r) => setTimeout(r, 100));
      }
      expect(body).toEqual({ status: "ok", database: "ok", media: "ok", redis: "ok" });
    } finally {
      await up.close();
    }
  });
});
