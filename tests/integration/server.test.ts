// The real server (Express + Remix build + socket.io + mediasoup workers) on the test database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import { startServer, type RunningServer } from "../../server/app";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

async function loginCookie(login = "learner@skillrelay.test", password = "skillrelay-demo") {
  const res = await fetch(`${server.url}/login`, {
    method: "POST",
    headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login, password }),
    redirect: "manual",
  });
  expect(res.status).toBe(302);
  return res.headers.get("set-cookie")!.split(";")[0];
}

describe("health", () => {
  it("reports the database and every media worker", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe("ok");
    expect(body.database).toBe("ok");
    expect(body.media).toBe("ok");
    // Worker pids are internals: the service reports them in-process only.
    expect(body.workers).toBeUndefined();
    const workers = server.live.health().workers;
    expect(workers.length).toBeGreaterThanOrEqual(1);
    for (const w of workers) expect(w).toMatchObject({ alive: true, pid: expect.any(Number) });
  });

  it("a killed worker is replaced and health is ok again (503 'degraded' meanwhile)", async () => {
    const before = server.live.health().workers;
    process.kill(before[0].pid, "SIGKILL");
    let sawDown = false;
    let after: { pid: number; alive: boolean }[] | undefined;
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${server.url}/healthz`);
      const body = await res.json();
      if (res.status === 503) {
        sawDown = true;
        expect(body).toEqual({ status: "degraded", database: "ok", media: "down", redis: "disabled" });
      }
      const workers = server.live.health().workers;
      if (res.status === 200 && workers.every((w) => w.pid !== before[0].pid)) {
        after = workers;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(after, "worker replaced").toBeDefined();
    expect(after!).toHaveLength(before.length);
    expect(after!.every((w) => w.alive)).toBe(true);
    // The 503 window can be shorter than our polling interval; when it is seen it says
    // "degraded" (checked above).
    void sawDown;
  });
});

describe("cross-site protection and session cookie", () => {
  it("refuses form posts without an Origin or from another site", async () => {
    const form = new URLSearchParams({ login: "learner@skillrelay.test", password: "skillrelay-demo" });
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    const none = await fetch(`${server.url}/login`, { method: "POST", headers, body: form, redirect: "manual" });
    expect(none.status).toBe(403);
    const evil = await fetch(`${server.url}/login`, { method: "POST", headers: { ...headers, Origin: "https://evil.example" }, body: form, redirect: "manual" });
    expect(evil.status).toBe(403);
  });

  it("sets an HttpOnly, SameSite=Lax session cookie and rate-limits wrong passwords", async () => {
    const res = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ login: "expert@skillrelay.test", password: "skillrelay-demo" }),
      redirect: "manual",
    });
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^auth_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    // The (account, address) pair allows 10 failures in 15 minutes (limits.server.ts).
    const statuses = [];
    for (let i = 0; i < 12; i++) {
      const r = await fetch(`${server.url}/login`, {
        method: "POST",
        headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ login: "school@skillrelay.test", password: "wrong-password" }),
        redirect: "manual",
      });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
  }, 60_000);
});

describe("socket.io handshake", () => {
  it("refuses a socket without a session and accepts one with the page's cookie", async () => {
    const anonymous = connect(server.url, { transports: ["websocket"], reconnection: false });
    const refused = await new Promise<string>((resolve) => anonymous.on("connect_error", (err) => resolve(err.message)));
    expect(refused).toBe("unauthorized");
    anonymous.close();

    const cookie = await loginCookie();
    const socket = connect(server.url, { transports: ["websocket"], reconnection: false, extraHeaders: { Cookie: cookie } });
    await new Promise<void>((resolve, reject) => {
      socket.on("connect", () => resolve());
      socket.on("connect_error", reject);
    });
    expect(socket.connected).toBe(true);
    socket.close();
  });

  it("refuses a handshake from another site's page", async () => {
    const cookie = await loginCookie();
    const socket = connect(server.url, {
      transports: ["websocket"],
      reconnection: false,
      extraHeaders: { Cookie: cookie, Origin: "https://evil.example" },
    });
    const err = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
    expect(err).toBeInstanceOf(Error);
    expect(socket.connected).toBe(false);
    socket.close();
  });
});
