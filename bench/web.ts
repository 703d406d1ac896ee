// npm run bench:web — page weight of a lesson page and HTTP load on the catalogue and a
// course page, against the production build. Prints figures; asserts nothing.
import zlib from "node:zlib";
import autocannon from "autocannon";
import { startBenchServer } from "./server";

const PORT = Number(process.env.BENCH_PORT ?? 3200);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const BUDGET_KB = 150;

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

/** First load of a page: its HTML plus every stylesheet and script the HTML references. */
async function pageWeight(base: string, path: string, cookie: string) {
  const headers = { Cookie: cookie, "Accept-Language": "zh-CN" };
  const html = Buffer.from(await (await fetch(`${base}${path}`, { headers })).arrayBuffer());
  const text = html.toString("utf8");
  const refs = new Set<string>();
  for (const m of text.matchAll(/<link[^>]+href="([^"]+)"[^>]*>/g)) {
    if (/rel="(stylesheet|modulepreload)"/.test(m[0])) refs.add(m[1]);
  }
  for (const m of text.matchAll(/import\s*(?:[^"']*from\s*)?["']([^"']+\.js)["']/g)) refs.add(m[1]);
  const rows: { url: string; raw: number; gzip: number }[] = [{ url: path, raw: html.length, gzip: gz(html) }];
  for (const ref of refs) {
    const body = Buffer.from(await (await fetch(new URL(ref, base))).arrayBuffer());
    rows.push({ url: ref, raw: body.length, gzip: gz(body) });
  }
  return rows;
}

async function load(url: string, cookie?: string) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers: cookie ? { Cookie: cookie } : {} });
  return {
    url: url.replace(/^https?:\/\/[^/]+/, ""),
    "req/s": Math.round(result.requests.average),
    "p50 ms": result.latency.p50,
    "p99 ms": result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

const server = await startBenchServer(PORT);
try {
  const base = server.url;
  const cookie = await login(base, "learner@skillrelay.test", "skillrelay-demo");
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
  console.log(`\nPage weight, first load of a lesson page (${lessonPath}), gzip level 6:`);
  console.table(rows.map((r) => ({ resource: r.url, "raw KB": (r.raw / 1024).toFixed(1), "gzip KB": (r.gzip / 1024).toFixed(1) })));
  console.log(`TOTAL ${(total / 1024).toFixed(1)} KB compressed (budget ${BUDGET_KB} KB: ${total / 1024 <= BUDGET_KB ? "within" : "OVER"})`);

  console.log(`\nHTTP load: ${CONNECTIONS} connections for ${DURATION} s each, production build, 2-core machine:`);
  const results = [await load(`${base}/courses`), await load(`${base}/courses/${slug}`), await load(`${base}/courses/${slug}`, cookie)];
  results[2].url += " (logged in)";
  console.table(results);
} finally {
  await server.stop();
}
