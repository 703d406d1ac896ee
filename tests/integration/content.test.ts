// Publicity (issue 10) through the real server and database: drafts and future scheduled
// articles are invisible everywhere (lists, slugs, sitemap, feed, the cached home page) until
// their time; admin content actions refuse everyone but platform admins; a story needs
// recorded consent; ratings need a finished session or course with the expert.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app";
import { prisma } from "~/domains/db.server";
import { createSessionCookie } from "~/domains/auth/session.server";
import { createArticle, listPublicArticles, storyResultOptions, updateArticle } from "~/domains/content/articles.server";
import { articleSchema } from "~/domains/content/validation";
import { getVerifiedExpert, mayRate } from "~/domains/content/experts.server";
import crypto from "node:crypto";
import { encodeCode } from "~/domains/certificates/code";
import { makeCourse, makeUser } from "./fixtures";

let server: RunningServer;
let admin: { id: string; name: string; role: "admin" };
const cookies: Record<string, string> = {};
let n = 0;

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
  const a = await makeUser("admin", "Content Admin");
  admin = { id: a.id, name: a.name, role: "admin" };
  for (const role of ["learner", "expert", "school_admin", "admin"] as const) {
    const u = role === "admin" ? a : await makeUser(role);
    cookies[role] = (await createSessionCookie(u.id)).split(";")[0];
  }
}, 120_000);

afterAll(async () => {
  await server?.close();
});

const get = (path: string, cookie?: string) => fetch(`${server.url}${path}`, { headers: { "Accept-Language": "en", ...(cookie ? { Cookie: cookie } : {}) }, redirect: "manual" });
const post = (path: string, cookie: string | undefined, form: Record<string, string>) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "en", ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(form),
    redirect: "manual",
  });

function input(over: Record<string, string> = {}) {
  return articleSchema.parse({ kind: "story", slug: `story-${Date.now()}-${++n}`, titleZh: "焊工故事", titleEn: `Story ${n}`, status: "draft", personName: "Wu", ...over });
}

/** A datetime-local value in UTC (the admin's time zone below) `ms` from now. */
function localIn(ms: number) {
  return new Date(Date.now() + ms).toISOString().slice(0, 19);
}

describe("public visibility", () => {
  it("never shows drafts or future scheduled articles: lists, slugs, sitemap, feed", async () => {
    const draft = await createArticle(admin, input({ titleEn: "Hidden draft zq1" }), "UTC");
    const future = await createArticle(admin, input({ titleEn: "Future story zq2", status: "scheduled", publishAt: localIn(3_600_000), consent: "on" }), "UTC");
    const pub = await createArticle(admin, input({ titleEn: "Public story zq3", status: "published", consent: "on" }), "UTC");
    const listed = (await listPublicArticles(null, "en")).map((a) => a.slug);
    expect(listed).toContain(pub.slug);
    expect(listed).not.toContain(draft.slug);
    expect(listed).not.toContain(future.slug);
    expect((await get(`/stories/${draft.slug}`)).status).toBe(404);
    expect((await get(`/stories/${future.slug}`)).status).toBe(404);
    // Even for a logged-in admin, the public page of a draft is a 404.
    expect((await get(`/stories/${draft.slug}`, cookies.admin)).status).toBe(404);
    // A story is not reachable as a policy.
    expect((await get(`/policies/${pub.slug}`)).status).toBe(404);
    const page = await get(`/stories/${pub.slug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Public story zq3");
    expect(html).toMatch(/<meta property="og:title" content="Public story zq3"/);
    expect(html).toMatch(/<meta name="description"/);
    const stories = await (await get("/stories")).text();
    expect(stories).toContain("Public story zq3");
    expect(stories).not.toContain("Hidden draft zq1");
    expect(stories).not.toContain("Future story zq2");
    const sitemap = await (await get("/sitemap.xml")).text();
    expect(sitemap).toContain(`/stories/${pub.slug}</loc>`);
    expect(sitemap).not.toContain(draft.slug);
    expect(sitemap).not.toContain(future.slug);
    const feedRes = await get("/feed.xml?lang=en");
    expect(feedRes.headers.get("content-type")).toMatch(/application\/atom\+xml/);
    const feed = await feedRes.text();
    expect(feed).toContain("<feed");
    expect(feed).toContain("Public story zq3");
    expect(feed).not.toContain("Hidden draft zq1");
    expect(feed).not.toContain("Future story zq2");
  });

  it("shows a scheduled article at its time, on the cached home page and in the feed, with no write", async () => {
    const title = `Timed story ${Date.now()}`;
    const a = await createArticle(admin, input({ titleEn: title, status: "scheduled", publishAt: localIn(2_500), consent: "on" }), "UTC");
    // Anonymous home page: rendered, then stored in the page cache.
    const first = await get("/");
    expect(first.status).toBe(200);
    expect(await first.text()).not.toContain(title);
    const second = await get("/");
    expect(second.headers.get("x-page-cache")).toBe("hit");
    expect(await second.text()).not.toContain(title);
    expect((await get(`/stories/${a.slug}`)).status).toBe(404);
    await new Promise((r) => setTimeout(r, 3_000));
    const later = await get("/");
    expect(later.headers.get("x-page-cache")).toBeNull();
    expect(await later.text()).toContain(title);
    expect((await get(`/stories/${a.slug}`)).status).toBe(200);
    expect(await (await get("/feed.xml?lang=en")).text()).toContain(title);
    expect(await (await get("/sitemap.xml")).text()).toContain(a.slug);
  });
});

describe("admin content actions", () => {
  it("refuse everyone but platform admins, and change nothing", async () => {
    const target = await createArticle(admin, input({ titleEn: "Target zq4" }), "UTC");
    const before = await prisma.article.findUniqueOrThrow({ where: { id: target.id } });
    const count = await prisma.article.count();
    const save = { intent: "save", kind: "story", slug: target.slug, titleZh: "defaced", status: "published", consent: "on", personName: "x" };
    for (const role of [undefined, "learner", "expert", "school_admin"] as const) {
      const cookie = role ? cookies[role] : undefined;
      const expected = role ? 403 : 302;
      for (const path of ["/admin/content", "/admin/content/new", `/admin/content/${target.id}`]) {
        const res = await get(path, cookie);
        expect(res.status, `GET ${path} as ${role}`).toBe(expected);
      }
      expect((await post("/admin/content/new", cookie, { ...save, slug: `hijack-${++n}` })).status).toBe(expected);
      expect((await post(`/admin/content/${target.id}`, cookie, save)).status).toBe(expected);
      expect((await post(`/admin/content/${target.id}`, cookie, { intent: "delete" })).status).toBe(expected);
      expect((await post(`/admin/content/${target.id}/image`, cookie, {})).status).toBe(expected);
    }
    expect(await prisma.article.findUniqueOrThrow({ where: { id: target.id } })).toEqual(before);
    expect(await prisma.article.count()).toBe(count);
    // Domain functions check too.
    const learner = await makeUser("learner");
    await expect(createArticle({ id: learner.id, name: learner.name, role: "learner" }, input(), "UTC")).rejects.toBeInstanceOf(Response);
  });

  it("lets an admin create, edit and delete, each in the audit log", async () => {
    const slug = `policy-${Date.now()}`;
    const created = await post("/admin/content/new", cookies.admin, { intent: "save", kind: "policy", slug, titleZh: "补贴政策", titleEn: "Subsidy", status: "published", bodyZh: "正文" });
    expect(created.status).toBe(302);
    const a = await prisma.article.findUniqueOrThrow({ where: { slug } });
    expect(a.publishAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await get(`/policies/${slug}`)).status).toBe(200);
    const edited = await post(`/admin/content/${a.id}`, cookies.admin, { intent: "save", kind: "policy", slug, titleZh: "补贴政策（修订）", status: "draft" });
    expect(edited.status).toBe(302);
    expect((await get(`/policies/${slug}`)).status).toBe(404);
    const taken = await post(`/admin/content/new`, cookies.admin, { intent: "save", kind: "policy", slug, titleZh: "dup", status: "draft" });
    expect(taken.status).toBe(400);
    const bad = await post(`/admin/content/new`, cookies.admin, { intent: "save", kind: "policy", slug: "Not A Slug", titleZh: "x", status: "draft" });
    expect(bad.status).toBe(400);
    expect((await post(`/admin/content/${a.id}`, cookies.admin, { intent: "delete" })).status).toBe(302);
    expect(await prisma.article.count({ where: { id: a.id } })).toBe(0);
    const actions = (await prisma.auditEntry.findMany({ where: { subjectType: "Article", subjectId: a.id }, orderBy: { at: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["content.create", "content.update", "content.delete"]);
  });

  it("refuses to publish or schedule a story without recorded consent", async () => {
    const slug = `no-consent-${Date.now()}`;
    for (const status of ["published", "scheduled"]) {
      const res = await post("/admin/content/new", cookies.admin, { intent: "save", kind: "story", slug, titleZh: "故事", personName: "Wu", status, publishAt: localIn(60_000) });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("consent");
    }
    expect(await prisma.article.count({ where: { slug } })).toBe(0);
    const draft = await createArticle(admin, input({ slug }), "UTC");
    await expect(updateArticle(admin, draft.id, input({ slug, status: "published" }), "UTC")).rejects.toMatchObject({ key: "errors.consentRequired" });
    const ok = await updateArticle(admin, draft.id, input({ slug, status: "published", consent: "on" }), "UTC");
    expect(ok.consentRecordedAt).not.toBeNull();
  });
});

describe("expert ratings", () => {
  it("allow one rating per learner, only after a finished session or course, only of verified experts", async () => {
    const expert = await makeUser("expert", "Rated Expert");
    await prisma.expertProfile.create({ data: { userId: expert.id, verifiedAt: new Date(), bio: "Welder" } });
    const unverified = await makeUser("expert", "Unverified Expert");
    await prisma.expertProfile.create({ data: { userId: unverified.id } });
    const learner = await makeUser("learner");
    const other = await makeUser("learner");
    const cookie = (await createSessionCookie(learner.id)).split(";")[0];
    const otherCookie = (await createSessionCookie(other.id)).split(";")[0];

    // No session or course yet: refused.
    expect(await mayRate(learner.id, expert.id)).toBe(false);
    expect((await post(`/experts/${expert.id}`, cookie, { stars: "5" })).status).toBe(403);
    // A booked session that has not happened yet does not count.
    const start = new Date(Date.now() + 86_400_000);
    const future = await prisma.liveSession.create({ data: { hostId: expert.id, title: "Later", kind: "one_to_one", startsAt: start, endsAt: new Date(start.getTime() + 3_600_000) } });
    await prisma.booking.create({ data: { sessionId: future.id, learnerId: learner.id } });
    expect((await post(`/experts/${expert.id}`, cookie, { stars: "5" })).status).toBe(403);
    // A finished one does.
    const past = new Date(Date.now() - 2 * 86_400_000);
    const done = await prisma.liveSession.create({ data: { hostId: expert.id, title: "Done", kind: "one_to_one", startsAt: past, endsAt: new Date(past.getTime() + 3_600_000), status: "ended" } });
    await prisma.booking.create({ data: { sessionId: done.id, learnerId: learner.id } });
    expect((await post(`/experts/${expert.id}`, cookie, { stars: "9" })).status).toBe(400);
    expect((await post(`/experts/${expert.id}`, cookie, { stars: "4", comment: "Clear" })).status).toBe(200);
    expect((await post(`/experts/${expert.id}`, cookie, { stars: "5", comment: "Even better" })).status).toBe(200);
    const rows = await prisma.expertRating.findMany({ where: { expertId: expert.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ learnerId: learner.id, stars: 5, comment: "Even better" });
    // Completing one of the expert's courses also qualifies.
    const { course } = await makeCourse(expert.id);
    expect((await post(`/experts/${expert.id}`, otherCookie, { stars: "3" })).status).toBe(403);
    await prisma.enrollment.create({ data: { userId: other.id, courseId: course.id, completedAt: new Date() } });
    expect((await post(`/experts/${expert.id}`, otherCookie, { stars: "3" })).status).toBe(200);
    // Anonymous: log in; an unverified expert has no profile and cannot be rated.
    expect((await post(`/experts/${expert.id}`, undefined, { stars: "5" })).status).toBe(302);
    expect((await get(`/experts/${unverified.id}`)).status).toBe(404);
    expect((await post(`/experts/${unverified.id}`, cookie, { stars: "5" })).status).toBe(404);
    // The public profile shows the average and the book button; /experts lists them.
    const profile = await (await get(`/experts/${expert.id}`)).text();
    expect(profile).toContain("4.0 of 5 (2 ratings)");
    const list = await (await get("/experts")).text();
    expect(list).toContain("Rated Expert");
    expect(list).not.toContain("Unverified Expert");
    // The course page shows its verified expert.
    const coursePage = await (await get(`/courses/${course.slug}`)).text();
    expect(coursePage).toContain(`/experts/${expert.id}`);
  });
});

// Decision 029: images in an article's body and the admins' draft preview.
describe("article body images and the draft preview", () => {
  const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), Buffer.alloc(64)]);
  const upload = (articleId: string, cookie: string | undefined, bytes: Uint8Array = PNG, name = "workshop.png") => {
    const form = new FormData();
    form.append("file", new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "image/png" }), name);
    return fetch(`${server.url}/admin/content/${articleId}/body-image`, { method: "POST", headers: { Origin: server.url, "X-Upload": "xhr", "Accept-Language": "en", ...(cookie ? { Cookie: cookie } : {}) }, body: form, redirect: "manual" });
  };
  const policy = (over: Record<string, string> = {}) => articleSchema.parse({ kind: "policy", slug: `policy-img-${Date.now()}-${++n}`, titleZh: "焊工培训补贴", titleEn: `Welding subsidy ${n}`, status: "draft", ...over });

  it("only admins upload; only this article's images render; they are public only while the article is", async () => {
    const a = await createArticle(admin, policy(), "UTC");
    const b = await createArticle(admin, policy(), "UTC");
    const assetsBefore = await prisma.asset.count();
    for (const role of [undefined, "learner", "expert", "school_admin"] as const) {
      const res = await upload(a.id, role ? cookies[role] : undefined);
      expect(res.status).toBe(role ? 403 : 302);
    }
    expect(await prisma.asset.count()).toBe(assetsBefore);
    // Someone else's id (no such article): 404; a file that is not an image: 400, nothing stored.
    expect((await upload("nosucharticle123", cookies.admin)).status).toBe(404);
    const bad = await upload(a.id, cookies.admin, new TextEncoder().encode("<script>alert(1)</script>"), "evil.png");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe("bad_type");
    expect(await prisma.asset.count()).toBe(assetsBefore);

    const up = await upload(a.id, cookies.admin);
    expect(up.status).toBe(200);
    const { asset, markdown } = (await up.json()) as { asset: { id: string }; markdown: string };
    expect(markdown).toBe(`![workshop](/media/${asset.id})`);
    expect((await prisma.asset.findUniqueOrThrow({ where: { id: asset.id } })).imageOfArticleId).toBe(a.id);
    const other = (await (await upload(b.id, cookies.admin, PNG, "other.png")).json()) as { asset: { id: string }; markdown: string };
    expect(await prisma.auditEntry.count({ where: { action: "content.image", subjectId: a.id } })).toBe(1);
    // The editor lists the article's images with their Markdown.
    const editor = await (await get(`/admin/content/${a.id}`, cookies.admin)).text();
    expect(editor).toContain(markdown.replace("](", "]("));
    expect(editor).not.toContain(other.asset.id);

    const body = `Apply at the county office.\n\n${markdown}\n\n${other.markdown}\n\n![pixel](https://tracker.example/p.png)`;
    const draftInput = policy({ slug: a.slug, bodyEn: body, bodyZh: `到县人社局申请。\n\n${markdown}` });
    await updateArticle(admin, a.id, draftInput, "UTC");

    // A draft's images are not public: visitor 401, other users 403, admins 200.
    expect((await get(`/media/${asset.id}`)).status).toBe(401);
    expect((await get(`/media/${asset.id}`, cookies.learner)).status).toBe(403);
    expect((await get(`/media/${asset.id}`, cookies.expert)).status).toBe(403);
    expect((await get(`/media/${asset.id}`, cookies.admin)).status).toBe(200);
    expect((await get(`/policies/${a.slug}`)).status).toBe(404);

    // Scheduled in the future: still not public.
    await updateArticle(admin, a.id, { ...draftInput, status: "scheduled", publishAt: localIn(3_600_000) }, "UTC");
    expect((await get(`/media/${asset.id}`)).status).toBe(401);

    // Published: the image is public, the page shows it; the other article's image is a link, not an image.
    await updateArticle(admin, a.id, { ...draftInput, status: "published" }, "UTC");
    expect((await get(`/media/${asset.id}`)).status).toBe(200);
    const page = await (await get(`/policies/${a.slug}`)).text();
    expect(page).toContain(`<img src="/media/${asset.id}" alt="workshop" loading="lazy">`);
    expect(page).not.toContain(`<img src="/media/${other.asset.id}"`);
    expect(page).toContain(`href="/media/${other.asset.id}"`);
    expect(page).not.toContain('<img src="https://tracker.example');
    expect((await get(`/media/${other.asset.id}`)).status).toBe(401);
    // Back to draft: private again.
    await updateArticle(admin, a.id, draftInput, "UTC");
    expect((await get(`/media/${asset.id}`)).status).toBe(401);
  });

  it("the preview shows a draft or scheduled article as its public page will, in both languages, to admins only", async () => {
    const a = await createArticle(admin, policy({ titleEn: "Preview subsidy en", titleZh: "预览补贴中文", bodyEn: "English body **strong**", bodyZh: "中文正文" }), "UTC");
    const img = (await (await upload(a.id, cookies.admin)).json()) as { asset: { id: string }; markdown: string };
    await updateArticle(admin, a.id, policy({ slug: a.slug, titleEn: "Preview subsidy en", titleZh: "预览补贴中文", bodyEn: `English body **strong**\n\n${img.markdown}`, bodyZh: "中文正文" }), "UTC");
    for (const role of ["learner", "expert", "school_admin"] as const) expect((await get(`/admin/content/${a.id}/preview`, cookies[role])).status).toBe(403);
    const anon = await get(`/admin/content/${a.id}/preview`);
    expect(anon.status).toBe(302);
    expect(anon.headers.get("location")).toMatch(/^\/login/);
    expect((await get(`/admin/content/nosucharticle123/preview`, cookies.admin)).status).toBe(404);

    const en = await get(`/admin/content/${a.id}/preview`, cookies.admin);
    expect(en.status).toBe(200);
    expect(en.headers.get("x-robots-tag")).toContain("noindex");
    expect(en.headers.get("cache-control")).toContain("no-store");
    const enHtml = await en.text();
    expect(enHtml).toMatch(/<meta name="robots" content="noindex, nofollow"/);
    expect(enHtml).toContain("Preview subsidy en");
    expect(enHtml).toContain("<strong>strong</strong>");
    expect(enHtml).toContain(`<img src="/media/${img.asset.id}"`);
    expect(enHtml).toContain("Draft: not public");
    // The same article in Chinese (the page's language, as on the public page).
    const zh = await fetch(`${server.url}/admin/content/${a.id}/preview`, { headers: { "Accept-Language": "zh-CN", Cookie: cookies.admin } });
    const zhHtml = await zh.text();
    expect(zhHtml).toContain("预览补贴中文");
    expect(zhHtml).toContain("中文正文");
    expect(zhHtml).not.toContain("Preview subsidy en");
    // Scheduled: the preview says when it goes public; the public page is still a 404.
    await updateArticle(admin, a.id, policy({ slug: a.slug, titleEn: "Preview subsidy en", titleZh: "预览补贴中文", status: "scheduled", publishAt: localIn(86_400_000) }), "UTC");
    expect(await (await get(`/admin/content/${a.id}/preview`, cookies.admin)).text()).toContain("Scheduled: public from");
    expect((await get(`/policies/${a.slug}`)).status).toBe(404);
  });
});

describe("the experts showcase by skill", () => {
  it("filters /experts by a skill category of their published courses; a malformed filter is a 400", async () => {
    const stamp = Date.now().toString(36);
    const welder = await makeUser("expert", `Welder ${stamp}`);
    const cook = await makeUser("expert", `Cook ${stamp}`);
    for (const u of [welder, cook]) await prisma.expertProfile.create({ data: { userId: u.id, verifiedAt: new Date() } });
    await makeCourse(welder.id); // the fixtures' welding category
    const cooking = await prisma.skillCategory.upsert({ where: { slug: "cooking-e2e" }, create: { slug: "cooking-e2e", nameEn: "Cooking (test)", nameZh: "烹饪（测试）" }, update: {} });
    await prisma.course.create({ data: { slug: `cook-${stamp}`, title: "Knife skills", categoryId: cooking.id, status: "published", publishedAt: new Date(), authors: { create: { userId: cook.id, role: "owner" } } } });

    const all = await (await get("/experts")).text();
    expect(all).toContain(`Welder ${stamp}`);
    expect(all).toContain(`Cook ${stamp}`);
    expect(all).toContain('href="/experts?skill=cooking-e2e"');
    const cooks = await get("/experts?skill=cooking-e2e");
    expect(cooks.status).toBe(200);
    const cooksPage = await cooks.text();
    expect(cooksPage).toContain(`Cook ${stamp}`);
    expect(cooksPage).not.toContain(`Welder ${stamp}`);
    expect(cooksPage).toMatch(/aria-current="page"[^>]*>Cooking \(test\)/);
    expect(await (await get("/experts?skill=no-such-skill")).text()).not.toContain(`Cook ${stamp}`);
    expect((await get("/experts?skill=%27%3BDROP")).status).toBe(400);
  });
});

describe("stories linked to competition results", () => {
  let k = 0;
  /** A competition certificate of a competition in the given state (released, not yet released, cancelled), or a course certificate. */
  async function certificate(state: "released" | "unreleased" | "cancelled" | "course", holder: string) {
    const expert = await makeUser("expert");
    const learner = await makeUser("learner", holder);
    const c = await makeCourse(expert.id);
    const stamp = `${Date.now().toString(36)}${++k}`;
    const comp =
      state === "course"
        ? null
        : await prisma.competition.create({
            data: {
              title: `Weld-off ${stamp}`,
              lessonId: c.task.id,
              createdById: expert.id,
              startsAt: new Date(Date.now() - 3 * 86_400_000),
              endsAt: new Date(Date.now() - 2 * 86_400_000),
              releasedAt: state === "released" ? new Date(Date.now() - 86_400_000) : null,
              cancelledAt: state === "cancelled" ? new Date() : null,
            },
          });
    return prisma.certificate.create({
      data: { code: encodeCode(crypto.randomBytes(10)), userId: learner.id, holderName: holder, kind: state === "course" ? "course" : "competition", competitionId: comp?.id, courseId: comp ? null : c.course.id, titleZh: comp?.title ?? "Course", titleEn: comp?.title ?? "Course", achievement: `Gold medal ${stamp}` },
      include: { competition: true },
    });
  }

  it("links only a released, valid competition result; the story page links its public certificate check until it is revoked", async () => {
    const released = await certificate("released", "Wu Linked");
    const options = await storyResultOptions(admin);
    expect(options.map((o) => o.id)).toContain(released.id);
    expect(options.find((o) => o.id === released.id)?.label).toContain(released.competition!.title);
    await expect(storyResultOptions({ id: "x", name: "x", role: "expert" })).rejects.toMatchObject({ status: 403 });

    const story = await createArticle(admin, input({ titleEn: "Linked story", status: "published", consent: "on", resultCertificateId: released.id }), "UTC");
    const page = await (await get(`/stories/${story.slug}`)).text();
    expect(page).toContain(`href="/verify/${released.code}"`);
    expect(page).toContain(released.competition!.title);
    expect(page).toContain(released.achievement);
    // The link goes to a public page: a visitor can open it (the results page itself is for those involved only).
    expect((await get(`/verify/${released.code}`)).status).toBe(200);
    expect((await get(`/competitions/${released.competitionId}/results`)).status).toBe(302);

    // Unreleased, cancelled, course certificates, unknown ids: refused, nothing saved; never offered.
    for (const state of ["unreleased", "cancelled", "course"] as const) {
      const cert = await certificate(state, `Wu ${state}`);
      expect((await storyResultOptions(admin)).map((o) => o.id)).not.toContain(cert.id);
      await expect(createArticle(admin, input({ status: "published", consent: "on", resultCertificateId: cert.id }), "UTC")).rejects.toMatchObject({ key: "errors.badResult" });
      await expect(updateArticle(admin, story.id, input({ slug: story.slug, status: "published", consent: "on", resultCertificateId: cert.id }), "UTC")).rejects.toMatchObject({ key: "errors.badResult" });
    }
    await expect(createArticle(admin, input({ resultCertificateId: "nosuchcertificate" }), "UTC")).rejects.toMatchObject({ key: "errors.badResult" });
    expect((await prisma.article.findUniqueOrThrow({ where: { id: story.id } })).resultCertificateId).toBe(released.id);
    // Through the admin's form: a hostile id is a 400 with the field's message, never a 500.
    const bad = await post("/admin/content/new", cookies.admin, { intent: "save", kind: "story", slug: `bad-result-${Date.now()}`, titleZh: "坏", status: "draft", resultCertificateId: "../etc/passwd\u0000" });
    expect(bad.status).toBe(400);
    // Someone other than a platform admin cannot link (the form is refused).
    expect((await post(`/admin/content/${story.id}`, cookies.expert, { intent: "save", kind: "story", slug: story.slug, titleZh: "x", status: "draft", resultCertificateId: released.id })).status).toBe(403);

    // Revoked later: the story stays, the result is no longer shown.
    await prisma.certificate.update({ where: { id: released.id }, data: { revokedAt: new Date(), revokedReason: "test" } });
    const after = await (await get(`/stories/${story.slug}`)).text();
    expect(after).toContain("Linked story");
    expect(after).not.toContain(`/verify/${released.code}`);
    expect(after).not.toContain(released.achievement);
    expect((await storyResultOptions(admin)).map((o) => o.id)).not.toContain(released.id);
  });

  it("a draft story with a linked result is never public: no page, not listed, not in the feed", async () => {
    const released = await certificate("released", "Wu Draft");
    const draft = await createArticle(admin, input({ titleEn: "Draft linked story", resultCertificateId: released.id }), "UTC");
    expect((await get(`/stories/${draft.slug}`)).status).toBe(404);
    expect((await listPublicArticles("story", "en")).map((a) => a.slug)).not.toContain(draft.slug);
    for (const path of ["/stories", "/feed.xml?lang=en", "/"]) {
      const body = await (await get(path)).text();
      expect(body, path).not.toContain(released.code);
      expect(body, path).not.toContain("Draft linked story");
    }
    // The admin's preview shows it as it will be.
    expect(await (await get(`/admin/content/${draft.id}/preview`, cookies.admin)).text()).toContain(`/verify/${released.code}`);
  });
});

describe("an expert's skills", () => {
  it("come from their courses and from their competition record, each once", async () => {
    const expert = await makeUser("expert", "Skilled Expert");
    await prisma.expertProfile.create({
      data: { userId: expert.id, verifiedAt: new Date(), competitionRecord: [{ event: "WorldSkills Kazan", year: 2019, skill: "CNC Milling", result: "Medallion" }, { event: "National", year: 2018, skill: "welding", result: "Gold" }] },
    });
    await makeCourse(expert.id); // the fixtures' welding category ("Welding" / "焊接")
    const shown = await getVerifiedExpert(expert.id, null);
    expect(shown?.skillsEn).toEqual(["Welding", "CNC Milling"]);
    expect(shown?.skills).toEqual(["焊接", "CNC Milling", "welding"]);
    const html = await (await get(`/experts/${expert.id}`)).text();
    expect(html).toContain("CNC Milling");
  });
});
