// npm run bench:queries — SQL statements per request for the main pages (anonymous and
// logged in), counted at the pg driver under the real server. Prints figures; asserts nothing.
import pg from "pg";
import { startServer } from "../server/app";

let count = 0;
const statements: string[] = [];
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  count++;
  const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string })?.text ?? "";
  statements.push(text.replace(/\s+/g, " ").slice(0, 90));
  return (original as (...a: unknown[]) => unknown).apply(this, args);
} as typeof original;

const server = await startServer({ port: Number(process.env.BENCH_PORT ?? 3200), host: "127.0.0.1", log: () => {} });
try {
  const base = server.url;
  const res = await fetch(`${base}/login`, {
    method: "POST",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login: "learner@skillrelay.test", password: "skillrelay-demo" }),
    redirect: "manual",
  });
  const cookie = res.headers.get("set-cookie")!.split(";")[0];
  const slug = "mag-welding-basics";
  const enrolled = await fetch(`${base}/courses/${slug}`, { method: "POST", headers: { Cookie: cookie, Origin: base }, redirect: "manual" });
  const lesson = new URL(enrolled.headers.get("location")!, base).pathname;
  const pages: [string, string, string?][] = [
    ["bare", "/bench/bare"],
    ["home", "/"],
    ["catalogue", "/courses"],
    ["course page", `/courses/${slug}`],
    ["bare (logged in)", "/bench/bare", cookie],
    ["course page (logged in)", `/courses/${slug}`, cookie],
    ["lesson page (logged in)", lesson, cookie],
    ["dashboard (logged in)", "/dashboard", cookie],
  ];
  for (const [name, path, c] of pages) {
    await fetch(`${base}${path}`, { headers: c ? { Cookie: c } : {} }); // warm: first-use costs
    count = 0;
    statements.length = 0;
    await fetch(`${base}${path}`, { headers: c ? { Cookie: c } : {} });
    console.log(`queries ${name.padEnd(26)} ${count}`);
    if (process.env.SHOW_SQL) for (const s of statements) console.log(`    ${s}`);
  }
} finally {
  await server.close();
}
