// The Content-Security-Policy (nonce-based, server/security.ts) and the cross-origin isolation
// headers must not break anything: browse each role's main pages — an uploaded cover image and
// lesson video from /media, the cohort chart, the live room with a fake camera — and fail on
// any CSP violation (securitypolicyviolation event or a "Refused to …" console line) and any
// hydration error. Its own users and data are made in the e2e database.
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { hashPassword } from "../../app/domains/auth/password.server";
import { e2eDatabaseUrl, loginAs } from "./helpers";
import { createInstantSession, enterRoom, liveStats } from "./live-helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });

const run = Date.now().toString(36);
const PASSWORD = "e2e-csp-password";
const emails = { expert: `csp-expert-${run}@skillrelay.test`, learner: `csp-learner-${run}@skillrelay.test`, admin: `csp-admin-${run}@skillrelay.test` };

let prisma: PrismaClient;
let course: { id: string; slug: string; videoLessonId: string };
let cohortId: string;

test.beforeAll(async () => {
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDatabaseUrl() }) });
  const passwordHash = await hashPassword(PASSWORD);
  const expert = await prisma.user.create({ data: { email: emails.expert, name: "CSP Expert", role: "expert", passwordHash, locale: "en" } });
  const learner = await prisma.user.create({ data: { email: emails.learner, name: "CSP Learner", role: "learner", passwordHash, locale: "en" } });
  const admin = await prisma.user.create({ data: { email: emails.admin, name: "CSP Admin", role: "school_admin", passwordHash, locale: "en" } });
  const category = await prisma.skillCategory.upsert({
    where: { slug: "e2e-csp" },
    create: { slug: "e2e-csp", nameEn: "CSP (e2e)", nameZh: "CSP（测试）", sortOrder: 999 },
    update: {},
  });
  const created = await prisma.course.create({
    data: {
      slug: `e2e-csp-${run}`,
      title: `CSP course ${run}`,
      summary: "A **video** lesson.",
      categoryId: category.id,
      status: "published",
      publishedAt: new Date(),
      authors: { create: { userId: expert.id, role: "owner" } },
      modules: {
        create: {
          title: "Module",
          position: 1,
          lessons: {
            create: [
              { title: "Read first", kind: "text", position: 1, body: "# Safety\n\nWear **gloves**.", durationMinutes: 5 },
              { title: "Watch", kind: "video", position: 2, durationMinutes: 5 },
            ],
          },
        },
      },
    },
    include: { modules: { include: { lessons: true } } },
  });
  const video = created.modules[0].lessons.find((l) => l.kind === "video")!;
  course = { id: created.id, slug: created.slug, videoLessonId: video.id };
  await prisma.enrollment.create({ data: { userId: learner.id, courseId: created.id } });
  const org = await prisma.organization.create({ data: { name: `CSP school ${run}`, kind: "school", verifiedAt: new Date() } });
  await prisma.membership.create({ data: { orgId: org.id, userId: admin.id, role: "admin" } });
  const cohort = await prisma.cohort.create({ data: { orgId: org.id, name: `CSP class ${run}` } });
  cohortId = cohort.id;
  await prisma.cohortMember.create({ data: { cohortId: cohort.id, userId: learner.id } });
  await prisma.assignment.create({ data: { cohortId: cohort.id, courseId: created.id, dueAt: new Date(Date.now() + 7 * 86_400_000) } });
});

test.afterAll(async () => {
  await prisma?.$disconnect();
});

/** Collects CSP violations and hydration errors of every page of the context. */
async function watch(context: BrowserContext) {
  const problems: string[] = [];
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const w = window as unknown as { __csp?: string[] };
      (w.__csp ??= []).push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  const attach = (page: Page) => {
    page.on("console", (m) => {
      const text = m.text();
      if (/Refused to|Content Security Policy|Content-Security-Policy/i.test(text)) problems.push(`console: ${text.slice(0, 300)}`);
      if (m.type() === "error" && /Minified React error #(418|423|425)|Hydration failed|did not match/.test(text)) problems.push(`hydration: ${text.slice(0, 200)}`);
    });
    page.on("pageerror", (err) => problems.push(`pageerror: ${err.message.slice(0, 200)}`));
  };
  context.on("page", attach);
  for (const page of context.pages()) attach(page);
  return {
    problems,
    /** Violations seen by the page itself (events fire even when nothing is logged). */
    async check(page: Page, where: string) {
      const seen = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
      expect([...seen, ...problems], where).toEqual([]);
    },
  };
}

async function visit(page: Page, watcher: Awaited<ReturnType<typeof watch>>, paths: string[]) {
  for (const p of paths) {
    const response = await page.goto(p);
    expect(response?.status(), p).toBeLessThan(400);
    expect(response?.headers()["content-security-policy"], p).toMatch(/'nonce-/);
    await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
    await page.waitForTimeout(300);
    await watcher.check(page, p);
  }
}

function makeVideo() {
  const file = path.join(os.tmpdir(), `e2e-csp-${process.pid}.webm`);
  const r = spawnSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15:duration=3", "-c:v", "libvpx", "-b:v", "200k", file]);
  expect(r.status).toBe(0);
  return file;
}

function makeImage() {
  const file = path.join(os.tmpdir(), `e2e-csp-${process.pid}.png`);
  const r = spawnSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x180", "-frames:v", "1", file]);
  expect(r.status).toBe(0);
  return file;
}

test("no CSP violation or hydration error on every role's pages, uploads and the cohort chart", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  // The expert uploads a cover and the lesson video (XHR upload with progress).
  const expertContext = await browser.newContext();
  const expertWatch = await watch(expertContext);
  await loginAs(expertContext, baseURL!, emails.expert, PASSWORD);
  const expert = await expertContext.newPage();
  await visit(expert, expertWatch, ["/", "/teach", `/teach/courses/${course.id}`, "/live", "/schedule"]);
  await expert.goto(`/teach/courses/${course.id}`);
  const cover = expert.getByLabel("PNG / JPEG / WebP ≤ 5 MB");
  await cover.setInputFiles(makeImage());
  await cover.locator("xpath=ancestor::form").getByRole("button", { name: "Upload" }).click();
  await expect(expert.locator('img[src^="/media/"]').first()).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => expert.locator('img[src^="/media/"]').first().evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expertWatch.check(expert, "cover upload");
  await expert.goto(`/teach/courses/${course.id}/lessons/${course.videoLessonId}`);
  await expert.getByLabel(/Video file/).setInputFiles(makeVideo());
  await expert.getByLabel(/Video file/).locator("xpath=ancestor::form").getByRole("button", { name: "Upload" }).click();
  await expect(expert.getByText("File uploaded.")).toBeVisible({ timeout: 30_000 });
  await expertWatch.check(expert, "video upload");

  // The learner browses, reads and plays the video from /media (range requests).
  const learnerContext = await browser.newContext();
  const learnerWatch = await watch(learnerContext);
  await loginAs(learnerContext, baseURL!, emails.learner, PASSWORD);
  const learner = await learnerContext.newPage();
  await visit(learner, learnerWatch, ["/", "/courses", `/courses/${course.slug}`, "/dashboard", "/live", "/notifications", "/schedule"]);
  await visit(learner, learnerWatch, [`/courses/${course.slug}/lessons/${course.videoLessonId}`]);
  const video = learner.getByTestId("lesson-video");
  await expect(video).toBeVisible();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 15_000 }).toBeGreaterThan(0);
  await learnerWatch.check(learner, "lesson video");

  // The school admin: overview, the cohort page with its Chart.js canvas, the printable slips.
  const adminContext = await browser.newContext();
  const adminWatch = await watch(adminContext);
  await loginAs(adminContext, baseURL!, emails.admin, PASSWORD);
  const admin = await adminContext.newPage();
  await visit(admin, adminWatch, ["/school", "/school/learners", "/school/import", "/school/invitations", `/school/cohorts/${cohortId}`]);
  await expect(admin.getByTestId("cohort-chart")).toHaveAttribute("data-ready", "true", { timeout: 15_000 });
  await adminWatch.check(admin, "cohort chart");

  // Anonymous visitors.
  const anonContext = await browser.newContext();
  const anonWatch = await watch(anonContext);
  const anon = await anonContext.newPage();
  await visit(anon, anonWatch, ["/", "/courses", `/courses/${course.slug}`, "/login", "/signup"]);

  for (const c of [expertContext, learnerContext, adminContext, anonContext]) await c.close();
});

test("no CSP violation in a live room with camera, microphone and remote video", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const expertContext = await browser.newContext();
  const expertWatch = await watch(expertContext);
  await loginAs(expertContext, baseURL!, emails.expert, PASSWORD);
  const learnerContext = await browser.newContext();
  const learnerWatch = await watch(learnerContext);
  await loginAs(learnerContext, baseURL!, emails.learner, PASSWORD);
  const expert = await expertContext.newPage();
  const learner = await learnerContext.newPage();

  const sessionId = await createInstantSession(expert, `CSP room ${run}`, [emails.learner]);
  await enterRoom(expert);
  await learner.goto(`/live/${sessionId}`);
  await enterRoom(learner);
  // Media flows both ways over the socket.io signalling and WebRTC.
  await expect.poll(async () => (await liveStats(learner)).inboundVideoBytes, { timeout: 20_000 }).toBeGreaterThan(20_000);
  await expect
    .poll(() => learner.getByTestId("remote-video").first().evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 15_000 })
    .toBeGreaterThan(0);
  await expertWatch.check(expert, "live room (expert)");
  await learnerWatch.check(learner, "live room (learner)");

  await learner.getByTestId("live-leave").click();
  await expert.getByTestId("live-leave").click();
  await expertContext.close();
  await learnerContext.close();
});
