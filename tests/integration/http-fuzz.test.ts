// Every route of the build's route manifest, hit as a visitor and as a logged-in user of
// each role with malformed ids (too long, NUL, unicode, bad percent-encoding), malformed
// query strings and malformed bodies (bad multipart, wrong content type, huge fields,
// control characters). None may answer 5xx, and the server must still serve pages after.
import http from "node:http";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import { enrol } from "~/domains/courses/courses.server";
import { ROLES } from "~/domains/auth/roles";
import { startServer, type RunningServer } from "../../server/app";
import { makeCourse, makeUser } from "./fixtures";
import { cookieFor } from "./upload-helpers";

let server: RunningServer;
let routes: { id: string; path: string; params: string[]; action: boolean }[];
const cookies: Record<string, string | null> = { visitor: null };
const real: Record<string, string> = {};

const MALFORMED_IDS = [
  "a".repeat(41),
  "%00",
  "x%00y",
  encodeURIComponent("héllo\u202e日本語🙂"),
  "x".repeat(3000),
  "%ZZ",
  "..%2F..%2Fetc%2Fpasswd",
  "%0A%0D",
  "-1",
];
const MALFORMED_QUERIES = [
  `q=${"x".repeat(300)}&level=expert&category=%00&page=-5&lesson=${"b".repeat(41)}&download=2`,
  "q=a%00b&cohort=%00&org=%00&expert=%00&type=%00&from=%00&date=%00&at=%00&reschedule=%00",
  "from=9999-99-99&date=2026-13-45&at=not-a-date&page=1e309&bytes=1e12&redirectTo=%2F%09%2Fevil.example",
  `cohort=${"c".repeat(5000)}&q=${encodeURIComponent("🙂".repeat(200))}&saved=${"s".repeat(500)}`,
  "q=%E0%A4%A",
];

function bodies(): { name: string; type?: string; body: string }[] {
  const b = "----fuzz";
  return [
    { name: "NUL fields", type: "application/x-www-form-urlencoded", body: "intent=save&title=a%00b&name=%00&body=x%00&q=%00&position=1&email=a%00%40b.c&login=%00&password=%00&timeZone=%00&choice=%00" },
    { name: "unknown intent, long ids", type: "application/x-www-form-urlencoded", body: `intent=${"i".repeat(500)}&moduleId=${"m".repeat(41)}&lessonId=${"l".repeat(41)}&direction=sideways&cohortId=%00&position=NaN` },
    { name: "huge field", type: "application/x-www-form-urlencoded", body: `intent=save&title=${"t".repeat(300_000)}` },
    { name: "bad multipart", type: `multipart/form-data; boundary=${b}`, body: `--${b}\r\nContent-Disposition: garbage\r\n\r\nno end` },
    { name: "multipart without boundary", type: "multipart/form-data", body: "x" },
    { name: "multipart with NUL field", type: `multipart/form-data; boundary=${b}`, body: `--${b}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nsave\u0000\r\n--${b}\r\nContent-Disposition: form-data; name="body"\r\n\r\n\u0000\r\n--${b}--\r\n` },
    { name: "json", type: "application/json", body: '{"intent": ' },
    { name: "no content type", body: "intent=save" },
  ];
}

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
  const build: ServerBuild = await import(pathToFileURL(path.resolve(import.meta.dirname, "../../build/index.js")).href);
  const fullPath = (id: string): string => {
    const r = build.routes[id];
    const own = r.path ?? "";
    const parent = r.parentId && r.parentId !== "root" ? fullPath(r.parentId) : "";
    return [parent, own].filter(Boolean).join("/");
  };
  routes = Object.keys(build.routes)
    .filter((id) => id !== "root")
    .map((id) => {
      const p = `/${fullPath(id)}`;
      return { id, path: p, params: [...p.matchAll(/:(\w+)/g)].map((m) => m[1]), action: Boolean(build.routes[id].module.action) };
    });

  const users: Record<string, { id: string; role: (typeof ROLES)[number] }> = {};
  for (const role of ROLES) {
    users[role] = await makeUser(role);
    cookies[role] = await cookieFor(users[role].id);
  }
  const c = await makeCourse(users.expert.id);
  await enrol(users.learner, c.course.id);
  Object.assign(real, {
    slug: c.course.slug,
    courseId: c.course.id,
    lessonId: c.task.id,
    assetId: c.materialAsset.id,
    expertId: users.expert.id,
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

/** One request on a connection of its own (node:http, no keep-alive): the status or the network error. */
function hit(method: string, url: string, cookie: string | null, body?: { type?: string; body: string }) {
  const headers: Record<string, string> = { Origin: server.url };
  if (cookie) headers.Cookie = cookie;
  if (body?.type) headers["Content-Type"] = body.type;
  if (body) headers["Content-Length"] = String(Buffer.byteLength(body.body));
  const u = new URL(server.url);
  return new Promise<number | string>((resolve) => {
    const req = http.request({ host: u.hostname, port: u.port, path: url, method, headers, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", (err) => resolve(`network error: ${err.message}`));
    });
    req.on("error", (err) => resolve(`network error: ${err.message}`));
    req.end(body?.body);
  });
}

// Routes of other helpers' areas that still read their form with request.formData() (a
// malformed multipart body gives 500 there). Reported to the lead: switching them to
// readForm (app/utils/input.server.ts) fixes them; then remove them from this list.
// The school.* ones are the schools helper's (their logic, their files).
const KNOWN_ELSEWHERE: RegExp[] = [
];

function fill(p: string, value: (param: string) => string) {
  return p.replace(/:(\w+)/g, (_m, name: string) => value(name));
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

describe("the issue's examples answer 4xx with a message", () => {
  async function text(url: string, init: RequestInit = {}, who: string | null = "learner") {
    const headers = new Headers(init.headers);
    headers.set("Origin", server.url);
    if (who && cookies[who]) headers.set("Cookie", cookies[who]!);
    const res = await fetch(server.url + url, { ...init, headers, redirect: "manual" });
    return { status: res.status, body: await res.text() };
  }

  it("catalogue: unknown level, a search over 100 characters, NUL in the search", async () => {
    const level = await text("/courses?level=expert");
    expect(level.status).toBe(400);
    expect(level.body).toMatch(/level/);
    const long = await text(`/courses?q=${"x".repeat(101)}`);
    expect(long.status).toBe(400);
    expect(long.body).toMatch(/at most 100 characters/);
    const nul = await text("/courses?q=a%00b");
    expect(nul.status).toBe(400);
    expect(nul.body).toMatch(/control characters/);
  });

  it("a 41-character lesson id, NUL in a name, a malformed multipart body", async () => {
    const id = await text(`/courses/${real.slug}/lessons/${"a".repeat(41)}`);
    expect(id.status).toBe(400);
    expect(id.body).toMatch(/lessonId: at most 40 characters/);
    const name = await text("/teach", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "title=Weld%00ing&categoryId=x&level=beginner&language=en" }, "expert");
    expect(name.status).toBe(400);
    expect(name.body).toMatch(/control characters/);
    const multipart = await text(`/courses/${real.slug}/lessons/${real.lessonId}`, {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=zzz" },
      body: "--zzz\r\nContent-Disposition: garbage\r\n\r\nno end",
    });
    expect(multipart.status).toBe(400);
    const json = await text("/teach", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }, "expert");
    expect(json.status).toBe(415);
  });
});

describe("HTTP fuzz: malformed input on every route never gives a 5xx", () => {
  it("covers the route manifest", () => {
    expect(routes.length).toBeGreaterThan(30);
  });

  for (const who of process.env.FUZZ_ONLY ? [process.env.FUZZ_ONLY] : ["visitor", ...ROLES]) {
    it(`as ${who}`, async () => {
      const cookie = cookies[who];
      const failures: string[] = [];
      const jobs: { method: string; url: string; body?: { type?: string; body: string }; label: string }[] = [];
      const realOr = (name: string) => real[name] ?? "c0000000000000000000000000";
      for (const route of routes.filter((r) => !process.env.FUZZ_ROUTE || r.path.includes(process.env.FUZZ_ROUTE))) {
        const base = fill(route.path, realOr);
        jobs.push({ method: "GET", url: base, label: "plain" });
        for (const bad of MALFORMED_IDS) {
          if (route.params.length) jobs.push({ method: "GET", url: fill(route.path, () => bad), label: `id ${bad.slice(0, 20)}` });
        }
        for (const q of MALFORMED_QUERIES) jobs.push({ method: "GET", url: `${base}?${q}`, label: `query ${q.slice(0, 30)}` });
        if (route.action && route.path !== "/logout") {
          for (const b of bodies()) jobs.push({ method: "POST", url: base, body: b, label: `body ${b.name}` });
          if (route.params.length) jobs.push({ method: "POST", url: fill(route.path, () => "a".repeat(41)), body: bodies()[0], label: "body with 41-char id" });
        }
      }
      await inBatches(jobs, 4, async (job) => {
        const t0 = Date.now();
        const status = await hit(job.method, job.url, cookie, job.body);
        if (process.env.FUZZ_DEBUG && Date.now() - t0 > 300) console.log(`slow ${Date.now() - t0} ms ${status} ${job.method} ${job.url.slice(0, 80)} ${job.label}`);
        const what = `${job.method} ${job.url.slice(0, 120)} (${job.label})`;
        if ((typeof status !== "number" || status >= 500) && !KNOWN_ELSEWHERE.some((re) => re.test(what))) {
          failures.push(`${status} ${what}`);
        }
      });
      if (process.env.FUZZ_DEBUG) console.log(`${who}: ${jobs.length} requests\n${failures.join("\n")}`);
      expect(failures).toEqual([]);
      expect(await hit("GET", "/courses", cookie)).toBe(200);
    }, 300_000);
  }

  it("the server still serves a normal page afterwards", async () => {
    const res = await fetch(`${server.url}/courses/${real.slug}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Welding basics");
  });
});
