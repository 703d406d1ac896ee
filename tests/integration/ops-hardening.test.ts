// Operations hardening on the real server: security headers with a per-response CSP nonce,
// body limits before parsing, private/no-store for personal responses, a state-only
// /healthz, structured logs without secrets, and /metrics for allowed addresses only.
import http from "node:http";
import os from "node:os";
import { Writable } from "node:stream";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app";
import { createLogger } from "../../server/logger";
import { metricsAllowList } from "../../server/metrics";
import { securityHeaders } from "../../server/security";
import { prisma } from "~/domains/db.server";
import { hashPassword } from "~/domains/auth/password.server";
import { createSessionCookie } from "~/domains/auth/session.server";
import { makeCourse, makeUser } from "./fixtures";
import * as live from "./live-helpers";

const PASSWORD = "Ops-s3cret-Passw0rd!";
let server: RunningServer;
let base: string;
const logLines: string[] = [];
let email: string;
let userId: string;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  // All interfaces: /metrics is also asked from this machine's non-loopback address.
  server = await startServer({ port: 0, host: "0.0.0.0", log: () => {}, logger: createLogger(sink, "info") });
  base = server.url.replace("localhost", "127.0.0.1");
  email = `ops-${Date.now()}@skillrelay.test`;
  const user = await prisma.user.create({ data: { email, name: "Ops Learner", role: "learner", passwordHash: await hashPassword(PASSWORD) } });
  userId = user.id;
}, 120_000);

afterAll(async () => {
  await server?.close();
});

async function cookieOf(id: string) {
  return (await createSessionCookie(id)).split(";")[0];
}

function form(fields: Record<string, string>) {
  return { method: "POST", headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields), redirect: "manual" as const };
}

/**
 * Sends a `size`-byte body in 1 MB chunks (with back-pressure, so the client side stays
 * small too): with a Content-Length, or chunked when `chunked`. Resolves with the status.
 */
function postHuge(path: string, size: number, opts: { chunked?: boolean; type?: string } = {}): Promise<{ status: number; ms: number; body: string }> {
  const url = new URL(path, base);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Origin: base, "Content-Type": opts.type ?? "application/x-www-form-urlencoded" };
    if (!opts.chunked) headers["Content-Length"] = String(size);
    const req = http.request(url, { method: "POST", headers });
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, ms: Date.now() - started, body }));
    });
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    const chunk = Buffer.alloc(1024 * 1024, "a");
    chunk.write("login=x&password=");
    let sent = 0;
    const pump = () => {
      while (sent < size && !answered && !req.destroyed) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once("drain", pump);
      }
      if (sent >= size && !answered) req.end();
    };
    pump();
  });
}

describe("security headers", () => {
  it("sends a nonce CSP whose nonce differs per response and is on every script tag", async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${base}/courses`);
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      // No inline script or <style> element without the nonce (style *attributes* are allowed).
      expect(csp).not.toMatch(/script-src [^;]*unsafe/);
      expect(csp).not.toMatch(/style-src [^;]*unsafe/);
      const nonce = csp.match(/'nonce-([^']+)'/)![1];
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it("isolates the origin and keeps the earlier headers; no HSTS over plain HTTP", async () => {
    const res = await fetch(`${base}/`);
    expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    expect(res.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("permissions-policy")).toContain("camera=(self)");
    expect(res.headers.get("strict-transport-security")).toBeNull();
    expect(res.headers.get("content-security-policy")).not.toContain("upgrade-insecure-requests");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it("adds HSTS and upgrade-insecure-requests when COOKIE_SECURE=true", async () => {
    const app = express();
    app.use(securityHeaders({ COOKIE_SECURE: "true" }));
    app.get("/", (_req, res) => void res.send("ok"));
    const listener = app.listen(0, "127.0.0.1");
    await new Promise((r) => listener.once("listening", r));
    try {
      const res = await fetch(`http://127.0.0.1:${(listener.address() as { port: number }).port}/`);
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=31536000/);
      expect(res.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    } finally {
      listener.close();
    }
  });

  it("the print <style> of the invitation slips carries the nonce", async () => {
    const admin = await makeUser("school_admin");
    const res = await fetch(`${base}/school/invitations`, { headers: { Cookie: await cookieOf(admin.id) } });
    const nonce = res.headers.get("content-security-policy")!.match(/'nonce-([^']+)'/)![1];
    const html = await res.text();
    const styles = html.match(/<style\b[^>]*>/g) ?? [];
    expect(res.status).toBe(200);
    expect(styles.length).toBeGreaterThan(0);
    for (const tag of styles) expect(tag).toContain(`nonce="${nonce}"`);
  });
});

describe("request body limits", () => {
  it("refuses a 100 MB urlencoded log-in at once and memory stays flat", async () => {
    const before = process.memoryUsage().rss;
    const res = await postHuge("/login", 100 * 1024 * 1024);
    const growth = process.memoryUsage().rss - before;
    console.log(`100 MB POST /login with Content-Length: ${res.status} in ${res.ms} ms, RSS growth ${(growth / 1024 / 1024).toFixed(1)} MB`);
    expect(res.status).toBe(413);
    expect(res.body).toMatch(/too large/);
    expect(res.ms).toBeLessThan(5_000);
    expect(growth).toBeLessThan(30 * 1024 * 1024);
  });

  it("refuses a 100 MB chunked body (no Content-Length) once it passes the limit", async () => {
    const before = process.memoryUsage().rss;
    const res = await postHuge("/login", 100 * 1024 * 1024, { chunked: true });
    const growth = process.memoryUsage().rss - before;
    console.log(`100 MB chunked POST /login: ${res.status} in ${res.ms} ms, RSS growth ${(growth / 1024 / 1024).toFixed(1)} MB`);
    expect(res.status).toBe(413);
    expect(res.ms).toBeLessThan(5_000);
    expect(growth).toBeLessThan(30 * 1024 * 1024);
  });

  it("refuses multipart bodies except on upload routes", async () => {
    const body = new FormData();
    body.set("login", email);
    body.set("password", PASSWORD);
    const res = await fetch(`${base}/login`, { method: "POST", headers: { Origin: base }, body, redirect: "manual" });
    expect(res.status).toBe(415);
    expect(await res.text()).toMatch(/upload forms/);
  });

  it("still logs in with an ordinary form, with a Content-Length and chunked", async () => {
    const plain = await fetch(`${base}/login`, form({ login: email, password: PASSWORD }));
    expect(plain.status).toBe(302);
    // A chunked body is buffered (it is small) and handed on to Remix intact.
    const chunked = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(new URL("/login", base), { method: "POST", headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" } }, resolve);
      req.on("error", reject);
      const payload = new URLSearchParams({ login: email, password: PASSWORD }).toString();
      req.write(payload.slice(0, 10));
      req.end(payload.slice(10));
    });
    chunked.resume();
    expect(chunked.statusCode).toBe(302);
    expect(chunked.headers["set-cookie"]?.[0]).toMatch(/^auth_session=/);
  });

  it("the lesson editor takes a long Markdown lesson (CJK, ~600 KB encoded); other forms do not", async () => {
    const expert = await makeUser("expert");
    const { course, text } = await makeCourse(expert.id);
    const markdown = "焊".repeat(60_000) + "\n" + "接".repeat(10_000);
    const fields = { title: "Long lesson", body: markdown, taskHandIn: "", durationMinutes: "30" };
    const encoded = new URLSearchParams(fields).toString();
    expect(encoded.length).toBeGreaterThan(600_000);
    const res = await fetch(`${base}/teach/courses/${course.id}/lessons/${text.id}?index`, {
      ...form(fields),
      headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded", Cookie: await cookieOf(expert.id) },
    });
    expect(res.status).toBe(200);
    const saved = await prisma.lesson.findUniqueOrThrow({ where: { id: text.id } });
    expect(saved.body).toBe(markdown);
    const refused = await fetch(`${base}/login`, form({ login: email, password: markdown }));
    expect(refused.status).toBe(413);
  });
});

describe("uploads through the body limits", () => {
  it("an upload route takes its multipart body (and counts it); past the route's limit it is a 413 at once", async () => {
    const expert = await makeUser("expert");
    const { course } = await makeCourse(expert.id);
    const cookie = await cookieOf(expert.id);
    const scrape = async () => Number((await (await fetch(`${base}/metrics`)).text()).match(/skillrelay_uploads_total\{kind="cover"\} (\d+)/)?.[1] ?? 0);
    const before = await scrape();
    // A 1×1 PNG.
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
    const body = new FormData();
    body.set("file", new Blob([png], { type: "image/png" }), "cover.png");
    const res = await fetch(`${base}/teach/courses/${course.id}/cover`, { method: "POST", headers: { Origin: base, Cookie: cookie, "X-Upload": "xhr" }, body });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ asset: { id: expect.any(String) } });
    expect(await scrape()).toBe(before + 1);

    const huge = await new Promise<number>((resolve, reject) => {
      const req = http.request(new URL(`/teach/courses/${course.id}/cover`, base), {
        method: "POST",
        headers: { Origin: base, Cookie: cookie, "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(50 * 1024 * 1024) },
      });
      req.on("response", (r) => (r.resume(), resolve(r.statusCode!)));
      req.on("error", reject);
      req.write("--x\r\n");
    });
    expect(huge).toBe(413);
  });
});

describe("Cache-Control of personal responses", () => {
  it("private, no-store for a logged-in browser (documents and data requests) and for log-in answers", async () => {
    const cookie = await cookieOf(userId);
    for (const path of ["/", "/dashboard", "/courses", "/dashboard.data", "/_root.data", "/notifications"]) {
      const res = await fetch(`${base}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
      expect(res.headers.get("cache-control"), path).toBe("private, no-store");
      await res.arrayBuffer();
    }
    const login = await fetch(`${base}/login`, form({ login: email, password: PASSWORD }));
    expect(login.headers.get("set-cookie")).toMatch(/^auth_session=/);
    expect(login.headers.get("cache-control")).toBe("private, no-store");
  });

  it("public anonymous pages are unchanged", async () => {
    for (const path of ["/", "/courses"]) {
      const res = await fetch(`${base}${path}`);
      expect(res.headers.get("cache-control") ?? "", path).not.toMatch(/no-store|private/);
      await res.arrayBuffer();
    }
  });
});

describe("/healthz", () => {
  it("shows the state only: no worker pids or counts", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: "ok", database: "ok", media: "ok", redis: "disabled" });
    for (const w of server.live.health().workers) expect(text).not.toContain(String(w.pid));
  });
});

describe("structured logs", () => {
  it("one line per request with request id and user id, and no password, token, cookie or session id", async () => {
    const from = logLines.length;
    const login = await fetch(`${base}/login`, form({ login: email, password: PASSWORD, redirectTo: "/dashboard" }));
    expect(login.status).toBe(302);
    const loginId = login.headers.get("x-request-id")!;
    expect(loginId).toMatch(/^[0-9a-f-]{36}$/);
    const sessionCookie = login.headers.get("set-cookie")!.split(";")[0];
    const sessionId = sessionCookie.split("=")[1];

    const token = "inv" + "Q".repeat(20) + Date.now();
    const invite = await fetch(`${base}/invite/${token}?t=${token}`, { headers: { "X-Request-Id": "proxy-req-0001" } });
    await invite.arrayBuffer();
    expect(invite.headers.get("x-request-id")).toBe("proxy-req-0001");
    // An absurd incoming id is replaced, not echoed.
    const bad = await fetch(`${base}/courses`, { headers: { "X-Request-Id": "<script>" } });
    await bad.arrayBuffer();
    expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

    const dashboard = await fetch(`${base}/dashboard`, { headers: { Cookie: sessionCookie } });
    await dashboard.arrayBuffer();
    const dashboardId = dashboard.headers.get("x-request-id")!;

    await new Promise((r) => setTimeout(r, 100));
    const lines = logLines.slice(from);
    const text = lines.join("\n");
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), token, sessionId, email, encodeURIComponent(email)]) {
      expect(text, secret).not.toContain(secret);
    }
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown> & { req?: { method: string; route: string }; res?: { statusCode: number } });
    const loginLine = entries.find((e) => e.requestId === loginId)!;
    expect(loginLine).toMatchObject({ req: { method: "POST", route: "/login" }, res: { statusCode: 302 } });
    expect(loginLine.durationMs).toEqual(expect.any(Number));
    expect(entries.find((e) => e.requestId === "proxy-req-0001")).toMatchObject({ req: { route: "/invite/:token" } });
    expect(entries.find((e) => e.requestId === dashboardId)).toMatchObject({ userId, req: { route: "/dashboard" }, res: { statusCode: 200 } });
  });
});

function lanAddress() {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return null;
}

describe("/metrics", () => {
  it("serves Prometheus text to loopback: route patterns, failed log-ins, live gauges, worker CPU", async () => {
    const { course } = await makeCourse((await makeUser("expert")).id);
    await (await fetch(`${base}/courses/${course.slug}`)).arrayBuffer();
    await (await fetch(`${base}/login`, form({ login: email, password: "wrong-password" }))).arrayBuffer();
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/skillrelay_http_request_duration_seconds_count\{method="GET",route="\/courses\/:slug",status="200"\} \d+/);
    expect(text).not.toContain(course.slug);
    expect(text).toMatch(/skillrelay_login_failures_total [1-9]/);
    expect(text).toContain("# TYPE skillrelay_uploads_total counter");
    expect(text).toMatch(/skillrelay_live_rooms \d+/);
    expect(text).toMatch(/skillrelay_live_peers \d+/);
    expect(text).toMatch(/skillrelay_live_consumers \d+/);
    expect(text).toMatch(/skillrelay_mediasoup_worker_cpu_seconds\{worker="0"\} [\d.]+/);
    // Which libsrtp2 the workers loaded (decision 035): 1 = the OpenSSL build, as the pool says.
    expect(text).toMatch(new RegExp(`^skillrelay_live_srtp_openssl ${server.live.health().srtp === "openssl" ? 1 : 0}$`, "m"));
    // No raw ids anywhere in the labels.
    for (const line of text.split("\n").filter((l) => l.startsWith("skillrelay_http"))) expect(line).not.toMatch(/c[a-z0-9]{24}/);
  });

  it("counts rooms, peers and consumers of the live service", async () => {
    const gauge = async (name: string) => Number((await (await fetch(`${base}/metrics`)).text()).match(new RegExp(`^${name} (\\d+)$`, "m"))?.[1]);
    const h = { server, url: base, sockets: [] as Awaited<ReturnType<typeof live.connect>>[] };
    const host = await live.makeUser("expert");
    const guest = await live.makeUser("learner");
    const session = await live.makeSession(host.id, { invite: [guest.id] });
    try {
      const hostPeer = await live.joined(h, host.id, session.id);
      const media = await live.produceFake(hostPeer.socket, ["mic", "camera"], 7000);
      const guestPeer = await live.joined(h, guest.id, session.id);
      const recv = await live.ok(guestPeer.socket, "transport:create", { direction: "recv" });
      for (const producerId of Object.values(media.ids)) {
        await live.ok(guestPeer.socket, "consume", { producerId, rtpCapabilities: guestPeer.data.routerRtpCapabilities, transportId: recv.id });
      }
      expect(await gauge("skillrelay_live_rooms")).toBe(1);
      expect(await gauge("skillrelay_live_peers")).toBe(2);
      expect(await gauge("skillrelay_live_consumers")).toBe(2);
    } finally {
      for (const socket of h.sockets) socket.disconnect();
    }
    await live.until(async () => (await gauge("skillrelay_live_peers")) === 0);
  });

  // Needs a non-loopback IPv4 address on this machine to connect from.
  it.skipIf(!lanAddress())("is a 404 for other addresses, whatever X-Forwarded-For says", async () => {
    const lan = lanAddress();
    const port = new URL(base).port;
    const res = await fetch(`http://${lan}:${port}/metrics`, { headers: { "X-Forwarded-For": "127.0.0.1" } });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("skillrelay_");
  });

  it("is a 404 for a request a local proxy relayed for an outside client", async () => {
    const relayed: Record<string, string>[] = [{ "X-Forwarded-For": "203.0.113.9" }, { "X-Forwarded-For": "127.0.0.1, 203.0.113.9" }, { "X-Real-IP": "203.0.113.9" }, { Forwarded: "for=203.0.113.9;proto=https" }, { Forwarded: 'for="[2001:db8::1]:4711"' }, { "X-Forwarded-For": "unknown" }];
    for (const headers of relayed) {
      const res = await fetch(`${base}/metrics`, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(404);
      await res.arrayBuffer();
    }
    // A forwarding header naming an allowed address is fine (Prometheus via a local proxy).
    const ok = await fetch(`${base}/metrics`, { headers: { "X-Forwarded-For": "127.0.0.1", Forwarded: "for=127.0.0.1" } });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
  });

  it("METRICS_ALLOW takes addresses and subnets, IPv4-mapped IPv6 included", () => {
    const allowed = metricsAllowList("10.1.0.0/16, 192.0.2.7, fd00::/8");
    expect(allowed("10.1.2.3")).toBe(true);
    expect(allowed("::ffff:10.1.2.3")).toBe(true);
    expect(allowed("192.0.2.7")).toBe(true);
    expect(allowed("fd00::2")).toBe(true);
    expect(allowed("10.2.0.1")).toBe(false);
    expect(allowed("127.0.0.1")).toBe(false);
    expect(allowed(undefined)).toBe(false);
    const loopback = metricsAllowList(undefined);
    expect(loopback("127.0.0.1")).toBe(true);
    expect(loopback("::1")).toBe(true);
    expect(loopback("192.0.2.2")).toBe(false);
    expect(() => metricsAllowList("not-an-ip")).toThrow(/METRICS_ALLOW/);
  });
});
