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

/** A TCP relay to the machine's Redis that the test can cut (and restore) like a network failure. */
async function redisRelay() {
  const conns = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(6379, "127.0.0.1");
    for (const s of [client, upstream]) {
      conns.add(s);
      s.on("error", () => s.destroy());
      s.on("close", () => conns.delete(s));
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    async cut() {
      await new Promise<void>((r) => {
        server.close(() => r());
        for (const c of conns) c.destroy();
      });
    },
    async restore() {
      await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
    },
    async close() {
      for (const c of conns) c.destroy();
      if (server.listening) await new Promise((r) => server.close(r));
    },
  };
}

describe("Redis reachable, then lost, then back", () => {
  it("/healthz follows Redis (ok → down, 200 degraded → ok); pages and log-ins keep working; shutdown is clean", async () => {
    const prefix = `test-${process.pid}-${Date.now()}-up`;
    const { startServer } = await import("../../server/app");
    const { closeRedisClients } = await import("~/domains/redis.server");
    await stopLiveServer(h);
    h = undefined as unknown as Harness;
    await closeRedisClients();
    const relay = await redisRelay();
    process.env.REDIS_URL = `redis://127.0.0.1:${relay.port}`;
    process.env.REDIS_PREFIX = prefix;
    const up = await startServer({ port: 0, host: "127.0.0.1", log: () => undefined });
    const health = async () => {
      const res = await fetch(`${up.url}/healthz`);
      return { code: res.status, ...((await res.json()) as { status: string; redis: string }) };
    };
    const waitFor = async (redis: string) => {
      let last = await health();
      for (let i = 0; i < 100 && last.redis !== redis; i++) {
        await new Promise((r) => setTimeout(r, 100));
        last = await health();
      }
      return last;
    };
    const wrongLogin = () =>
      fetch(`${up.url}/login`, {
        method: "POST",
        headers: { Origin: up.url, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ login: "nobody@skillrelay.test", password: "wrong-password" }),
        redirect: "manual",
      });
    try {
      expect(await waitFor("ok")).toEqual({ code: 200, status: "ok", database: "ok", media: "ok", redis: "ok" });
      expect((await wrongLogin()).status).toBe(401); // counted in Redis

      await relay.cut();
      expect(await waitFor("down")).toEqual({ code: 200, status: "degraded", database: "ok", media: "ok", redis: "down" });
      expect((await fetch(`${up.url}/login`)).status).toBe(200);
      // The rate limit falls back to its insurance (the Postgres store): still counted, no 500.
      expect((await wrongLogin()).status).toBe(401);

      await relay.restore();
      expect(await waitFor("ok")).toEqual({ code: 200, status: "ok", database: "ok", media: "ok", redis: "ok" });
    } finally {
      await up.close();
      await relay.close();
      const { createClient } = await import("redis");
      const redis = createClient({ url: "redis://127.0.0.1:6379" });
      await redis.connect();
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) if (keys.length) await redis.del(keys);
      await redis.close();
    }
  }, 60_000);
});
