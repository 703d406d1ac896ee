// npm run bench:web — page weight (a lesson page, the five heaviest pages) and HTTP load on a
// bare Remix page (the ceiling) and the main pages, against the production build. Each load
// line ends in `ratio to bare: N` for scripts. Prints figures; asserts nothing.
import http from "node:http";
import os from "node:os";
import zlib from "node:zlib";
import autocannon from "autocannon";
import { startBenchServer } from "./server";

const PORT = Number(process.env.BENCH_PORT ?? 3200);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const BUDGET_KB = 100;

const gz = (buf: Buffer) => zlib.gzipSync(buf, { level: 6 }).length;

async function login(base: string, login: string, password: string) {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login, password, redirectTo: "/dashboard" }),
    redirect: "manual",
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`log-in failed (${res.status})`);
  return cookie;
}

/** Bytes on the wire for one resource as Chromium asks for it (fetch would decode them). */
function servedBytes(url: string, headers: Record<string, string>): Promise<{ bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { ...headers, "Accept-Encoding": "gzip, deflate, br, zstd" } }, (res) => {
        let bytes = 0;
        res.on("data", (c: Buffer) => (bytes += c.length));
        res.on("end", () => resolve({ bytes, encoding: String(res.headers["content-encoding"] ?? "identity") }));
      })
      .on("error", reject);
  });
}

/** First load of a page: its HTML plus every stylesheet and script the HTML references. */
async function pageWeight(base: string, path: string, cookie: string) {
  const headers: Record<string, string> = cookie ? { Cookie: cookie, "Accept-Language": "zh-CN" } : { "Accept-Language": "zh-CN" };
  const html = Buffer.from(await (await fetch(`${base}${path}`, { headers })).arrayBuffer());
  const text = html.toString("utf8");
  const refs = new Set<string>();
  for (const m of text.matchAll(/<link[^>]+href="([^"]+)"[^>]*>/g)) {
    if (/rel="(stylesheet|modulepreload)"/.test(m[0])) refs.add(m[1]);
  }
  for (const m of text.matchAll(/import\s*(?:[^"']*from\s*)?["']([^"']+\.js)["']/g)) refs.add(m[1]);
  const served = await servedBytes(`${base}${path}`, headers);
  const rows: { url: string; raw: number; gzip: number; served: number; encoding: string }[] = [{ url: path, raw: html.length, gzip: gz(html), served: served.bytes, encoding: served.encoding }];
  for (const ref of refs) {
    const url = new URL(ref, base).href;
    const body = Buffer.from(await (await fetch(url)).arrayBuffer());
    const s = await servedBytes(url, {});
    rows.push({ url: ref, raw: body.length, gzip: gz(body), served: s.bytes, encoding: s.encoding });
  }
  return rows;
}

async function load(name: string, url: string, cookie?: string) {
  const headers: Record<string, string> = { "Accept-Language": "zh-CN", "Accept-Encoding": "gzip" };
  if (cookie) headers.Cookie = cookie;
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  return { name, rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/** The five heaviest pages on first load (HTML + every script and stylesheet, gzip). */
async function heaviestPages(base: string, pages: [string, string, string][]) {
  const weights = [];
  for (const [name, path, cookie] of pages) {
    const rows = await pageWeight(base, path, cookie);
    weights.push({ name, path, kb: rows.reduce((s, r) => s + r.gzip, 0) / 1024, servedKb: rows.reduce((s, r) => s + r.served, 0) / 1024, rows });
  }
  return weights.sort((a, b) => b.kb - a.kb);
}

const server = await startBenchServer(PORT);
try {
  const base = server.url;
  // One log-in per role (the log-in limits allow that many from one address).
  const cookie = await login(base, "learner@skillrelay.test", "skillrelay-demo");
  const expertCookie = await login(base, "expert@skillrelay.test", "skillrelay-demo");
  const schoolCookie = await login(base, "school@skillrelay.test", "skillrelay-demo");
  // Enrol the demo learner in a seeded course and open its first lesson.
  const slug = "mag-welding-basics";
  const enrolled = await fetch(`${base}/courses/${slug}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: base },
    redirect: "manual",
  });
  const lessonPath = new URL(enrolled.headers.get("location") ?? `/courses/${slug}`, base).pathname;

  const rows = await pageWeight(base, lessonPath, cookie);
  const total = rows.reduce((s, r) => s + r.gzip, 0);
  const servedTotal = rows.reduce((s, r) => s + r.served, 0);
  console.log(`\nPage weight, first load of a lesson page (${lessonPath}): gzip level 6 computed here, and the bytes the server sends to Chromium (Accept-Encoding: gzip, deflate, br, zstd):`);
  console.table(rows.map((r) => ({ resource: r.url, "raw KB": (r.raw / 1024).toFixed(1), "gzip-6 KB": (r.gzip / 1024).toFixed(1), "served KB": (r.served / 1024).toFixed(1), encoding: r.encoding })));
  console.log(`TOTAL ${(total / 1024).toFixed(1)} KB gzip-6 (budget ${BUDGET_KB} KB: ${total / 1024 <= BUDGET_KB ? "within" : "OVER"})`);
  console.log(`TOTAL served ${(servedTotal / 1024).toFixed(1)} KB on the wire (budget ${BUDGET_KB} KB: ${servedTotal / 1024 <= BUDGET_KB ? "within" : "OVER"})`);

  const heavy = await heaviestPages(base, [
    ["home", "/", ""],
    ["catalogue", "/courses", ""],
    ["course page", `/courses/${slug}`, ""],
    ["lesson page", lessonPath, cookie],
    ["dashboard (learner)", "/dashboard", cookie],
    ["teach (expert)", "/teach", expertCookie],
    ["school (admin)", "/school", schoolCookie],
    ["schedule", "/schedule", cookie],
    ["live", "/live", cookie],
    ["notifications", "/notifications", cookie],
    ["account", "/account", cookie],
  ]);
  console.log("\nFive heaviest pages, first load, gzip level 6:");
  for (const p of heavy.slice(0, 5)) console.log(`weight ${p.name} (${p.path}): ${p.kb.toFixed(1)} KB gzip-6, ${p.servedKb.toFixed(1)} KB served`);

  console.log(`\nHTTP load: ${CONNECTIONS} connections for ${DURATION} s each, production build, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}:`);
  const bare = await load("bare Remix page", `${base}/bench/bare`);
  const results = [
    bare,
    await load("home (anonymous)", `${base}/`),
    await load("catalogue (anonymous)", `${base}/courses`),
    await load("course page (anonymous)", `${base}/courses/${slug}`),
    await load("course page (logged in)", `${base}/courses/${slug}`, cookie),
    await load("lesson page (logged in)", `${base}${lessonPath}`, cookie),
    await load("dashboard (logged in)", `${base}/dashboard`, cookie),
  ];
  for (const r of results) {
    const ratio = bare.rps ? r.rps / bare.rps : 0;
    console.log(`${r.name.padEnd(26)} ${String(r.rps).padStart(6)} req/s  p50 ${String(r.p50).padStart(5)} ms  p99 ${String(r.p99).padStart(5)} ms  errors ${r.errors}  ratio to bare: ${ratio.toFixed(2)}`);
  }
  console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
} finally {
  await server.stop();
}
