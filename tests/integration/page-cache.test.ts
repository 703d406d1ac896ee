// Anonymous public pages from the in-memory page cache (server/page-cache.ts), through the
// real server: stored after the first request, gone after a course edit, one copy per
// language, never served to a logged-in browser, and 304 for a matching ETag.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app";
import { prisma } from "~/domains/db.server";

let server: RunningServer;
const SLUG = "mag-welding-basics";

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

async function loginCookie(login = "learner@skillrelay.test") {
  const res = await fetch(`${server.url}/login`, {
    method: "POST",
    headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login, password: "skillrelay-demo" }),
    redirect: "manual",
  });
  expect(res.status).toBe(302);
  return res.headers.get("set-cookie")!.split(";")[0];
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers: { "Accept-Language": "en", ...headers } });

describe("page cache", () => {
  it("serves the second anonymous request of a public page from the cache, with public caching headers", async () => {
    for (const path of ["/", "/courses", `/courses/${SLUG}`]) {
      const first = await get(path);
      expect(first.status).toBe(200);
      expect(first.headers.get("x-page-cache")).toBeNull();
      const firstBody = await first.text();
      const second = await get(path);
      expect(second.status).toBe(200);
      expect(second.headers.get("x-page-cache")).toBe("hit");
      expect(second.headers.get("cache-control")).toMatch(/^public, max-age=\d+, must-revalidate$/);
      expect(second.headers.get("vary")).toMatch(/Cookie/);
      expect(second.headers.get("vary")).toMatch(/Accept-Language/);
      expect(second.headers.get("etag")).toMatch(/^"/);
      // A stored copy gets a fresh nonce too, in its CSP and in every nonce attribute.
      const nonceOf = (r: Response) => /'nonce-([^']+)'/.exec(r.headers.get("content-security-policy")!)![1];
      const nonce = nonceOf(second);
      expect(nonce).not.toBe(nonceOf(first));
      const body = await second.text();
      expect(body).toContain(`nonce="${nonce}"`);
      expect(body).not.toContain(`nonce="${nonceOf(first)}"`);
      expect(body).toBe(firstBody.replaceAll(`nonce="${nonceOf(first)}"`, `nonce="${nonce}"`));
      // A 304 keeps the browser's stored pair: no new CSP header.
      const revalidated = await get(path, { "If-None-Match": second.headers.get("etag")! });
      expect(revalidated.status).toBe(304);
      expect(revalidated.headers.get("content-security-policy")).toBeNull();
    }
  });

  it("an edit to a course shows on the next anonymous request", async () => {
    const course = await prisma.course.findUniqueOrThrow({ where: { slug: SLUG } });
    await get(`/courses/${SLUG}`);
    expect((await get(`/courses/${SLUG}`)).headers.get("x-page-cache")).toBe("hit");
    await get("/courses");
    const title = `Edited title ${Date.now()}`;
    try {
      await prisma.course.update({ where: { id: course.id }, data: { title } });
      const page = await get(`/courses/${SLUG}`);
      expect(page.headers.get("x-page-cache")).toBeNull();
      expect(await page.text()).toContain(title);
      expect(await (await get("/courses")).text()).toContain(title);
    } finally {
      await prisma.course.update({ where: { id: course.id }, data: { title: course.title } });
    }
    expect(await (await get(`/courses/${SLUG}`)).text()).not.toContain(title);
  });

  it("an expert's edit through the course editor shows on the next anonymous request", async () => {
    const course = await prisma.course.findUniqueOrThrow({ where: { slug: SLUG }, include: { modules: { orderBy: { position: "asc" } } } });
    const mod = course.modules[0]!;
    await get(`/courses/${SLUG}`);
    expect((await get(`/courses/${SLUG}`)).headers.get("x-page-cache")).toBe("hit");
    const author = await prisma.courseAuthor.findFirstOrThrow({ where: { courseId: course.id }, include: { user: true } });
    const expert = await loginCookie(author.user.email!);
    const title = `Renamed module ${Date.now()}`;
    try {
      const res = await fetch(`${server.url}/teach/courses/${course.id}`, {
        method: "POST",
        headers: { Origin: server.url, Cookie: expert, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "renameModule", moduleId: mod.id, title }),
        redirect: "manual",
      });
      expect(res.status).toBeLessThan(400);
      expect((await prisma.courseModule.findUniqueOrThrow({ where: { id: mod.id } })).title).toBe(title);
      const page = await get(`/courses/${SLUG}`);
      expect(page.headers.get("x-page-cache")).toBeNull();
      expect(await page.text()).toContain(title);
    } finally {
      await prisma.courseModule.update({ where: { id: mod.id }, data: { title: mod.title } });
    }
  });

  it("keeps one copy per language (Accept-Language and the locale cookie)", async () => {
    const en = await (await get("/", { "Accept-Language": "en" })).text();
    const zhHeader = await get("/", { "Accept-Language": "zh-CN" });
    const zh = await zhHeader.text();
    expect(en).toContain('lang="en"');
    expect(zh).toContain('lang="zh-CN"');
    expect(en).not.toBe(zh);
    // A locale cookie outranks the header, cached or not.
    const cookieEn = await (await get("/", { "Accept-Language": "zh-CN", Cookie: `lng=${encodeURIComponent(btoa(JSON.stringify("en")))}` })).text();
    expect(cookieEn).toContain('lang="en"');
  });

  it("never serves a stored anonymous page to a logged-in request", async () => {
    await get(`/courses/${SLUG}`);
    expect((await get(`/courses/${SLUG}`)).headers.get("x-page-cache")).toBe("hit");
    const cookie = await loginCookie();
    for (const path of ["/", "/courses", `/courses/${SLUG}`]) {
      const res = await get(path, { Cookie: cookie });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-page-cache")).toBeNull();
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      const html = await res.text();
      expect(html).toContain('href="/dashboard"');
      expect(html).not.toContain("/login?redirectTo");
    }
    // …and what the logged-in request rendered is not stored for anonymous ones.
    const anon = await (await get(`/courses/${SLUG}`)).text();
    expect(anon).toContain("/login?redirectTo");
  });

  it("answers 304 to a matching If-None-Match", async () => {
    await get("/courses");
    const hit = await get("/courses");
    const etag = hit.headers.get("etag")!;
    expect(etag).toBeTruthy();
    const again = await get("/courses", { "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const other = await get("/courses", { "If-None-Match": '"something-else"' });
    expect(other.status).toBe(200);
  });
});
