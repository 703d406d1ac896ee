// Fault: the database restarts while requests run. The real server on a real embedded
// cluster of its own (so the run's shared cluster is untouched): during the outage pages
// answer 503 with a clear message, never a 500 or a crash; afterwards 200 again, without a
// restart of the server.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { migrateDeploy, startEmbedded, type EmbeddedHandle } from "../../server/db/postgres";
import type { RunningServer } from "../../server/app";

let cluster: EmbeddedHandle;
let server: RunningServer;
let project: string;

async function freePort() {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

beforeAll(async () => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-dbrestart-"));
  cluster = await startEmbedded({ dataDir: path.join(project, "pg"), port: await freePort(), database: "restart" });
  migrateDeploy(cluster.url);
  process.env.DATABASE_URL = cluster.url; // before any Prisma client of this file exists
  process.env.MEDIASOUP_NUM_WORKERS = "1";
  process.env.LIVE_LOG_LEVEL = "warn";
  const { startServer } = await import("../../server/app");
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
}, 180_000);

afterAll(async () => {
  await server?.close();
  await cluster?.stop();
  if (cluster?.dataDir.includes("/clusters/")) {
    fs.rmSync(cluster.dataDir, { recursive: true, force: true });
    fs.rmSync(`${cluster.dataDir}.origin`, { force: true });
  }
  fs.rmSync(project, { recursive: true, force: true });
});

async function login() {
  const res = await fetch(`${server.url}/login`, {
    method: "POST",
    headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login: "learner@skillrelay.test", password: "skillrelay-demo" }),
    redirect: "manual",
  });
  expect(res.status).toBe(302);
  return res.headers.get("set-cookie")!.split(";")[0];
}

it("answers 503 with a clear message while the database is down, and 200 again once it is back", async () => {
  const cookie = await login();
  const pages = ["/courses", "/dashboard", "/"];
  const statuses: number[] = [];
  const outagePages: string[] = [];
  let running = true;
  // Requests keep running through the whole restart, three at a time.
  const load = Promise.all(
    pages.map(async (p) => {
      while (running) {
        const res = await fetch(`${server.url}${p}`, { headers: { Cookie: cookie }, redirect: "manual" });
        statuses.push(res.status);
        const body = await res.text();
        if (res.status === 503) outagePages.push(body);
        await new Promise((r) => setTimeout(r, 20));
      }
    }),
  );
  for (let i = 0; i < 200 && statuses.length < 6; i++) await new Promise((r) => setTimeout(r, 50));
  expect(statuses.length).toBeGreaterThanOrEqual(6);
  expect(statuses.every((s) => s === 200)).toBe(true);

  await cluster.stop();
  // Down: health says so, pages say so.
  let health: Response | undefined;
  for (let i = 0; i < 50; i++) {
    health = await fetch(`${server.url}/healthz`);
    if (health.status === 503) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(health!.status).toBe(503);
  expect((await health!.json()).database).toBe("down");
  await new Promise((r) => setTimeout(r, 1500));
  const form = await fetch(`${server.url}/login`, {
    method: "POST",
    headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login: "learner@skillrelay.test", password: "skillrelay-demo" }),
    redirect: "manual",
  });
  expect(form.status).toBe(503);
  expect(form.headers.get("retry-after")).toBe("5");

  await cluster.start();
  const backAt = Date.now();
  let recovered = false;
  while (Date.now() - backAt < 20_000) {
    const res = await fetch(`${server.url}/courses`, { headers: { Cookie: cookie }, redirect: "manual" });
    await res.text();
    if (res.status === 200) {
      recovered = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const recoveryMs = Date.now() - backAt;
  running = false;
  await load;

  expect(recovered, "200 again after the database came back").toBe(true);
  console.log(`requests during the restart: ${statuses.length}, 503: ${statuses.filter((s) => s === 503).length}, recovered ${recoveryMs} ms after the database was back`);
  expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
  expect(statuses.filter((s) => s !== 200 && s !== 503), "no 500s, only 200 or 503").toEqual([]);
  expect(outagePages[0]).toContain("数据库暂时不可用");
  expect(outagePages[0]).toContain("The database is unavailable");
  // Same session still works: nothing was lost on the server's side.
  const after = await fetch(`${server.url}/dashboard`, { headers: { Cookie: cookie }, redirect: "manual" });
  expect(after.status).toBe(200);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
}, 120_000);
