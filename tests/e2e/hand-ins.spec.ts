// A learner hands in two photos and a PDF through the resumable uploader (progress bars, the
// large photo downscaled in the browser); the marker sees the gallery beside the aspects and
// zooms a photo (mouse and keyboard). Course, scheme and people are made in the e2e database.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { hashPassword } from "../../app/domains/auth/password.server";
import { e2eDatabaseUrl, loginAs, waitForHydration } from "./helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });

const ARTIFACTS = path.resolve("test-results/artifacts");
const run = Date.now().toString(36);
const LEARNER = `e2e-handin-l-${run}@skillrelay.test`;
const MARKER = `e2e-handin-m-${run}@skillrelay.test`;
const PASSWORD = "e2e-handin-password";

let prisma: PrismaClient;
let lesson: { slug: string; id: string };
let bigPhoto: Buffer;
let smallPhoto: Buffer;
const pdf = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

test.beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handin-"));
  // A 3000 × 2000 photo (downscaled to 2000 px before upload) and a small one (sent as it is).
  execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=3000x2000", "-frames:v", "1", path.join(dir, "big.png")]);
  execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=800x600", "-frames:v", "1", path.join(dir, "small.jpg")]);
  bigPhoto = fs.readFileSync(path.join(dir, "big.png"));
  smallPhoto = fs.readFileSync(path.join(dir, "small.jpg"));
  fs.rmSync(dir, { recursive: true });

  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDatabaseUrl() }) });
  const passwordHash = await hashPassword(PASSWORD);
  const learner = await prisma.user.create({ data: { email: LEARNER, name: "Hana Learner", role: "learner", passwordHash, locale: "en" } });
  const marker = await prisma.user.create({ data: { email: MARKER, name: "Mark Marker", role: "expert", passwordHash, locale: "en" } });
  const category = await prisma.skillCategory.upsert({
    where: { slug: "e2e-handin-welding" },
    create: { slug: "e2e-handin-welding", nameEn: "Welding (e2e hand-in)", nameZh: "焊接（提交测试）", sortOrder: 999 },
    update: {},
  });
  const course = await prisma.course.create({
    data: {
      slug: `e2e-handin-${run}`,
      title: `Plate butt weld ${run}`,
      categoryId: category.id,
      status: "published",
      publishedAt: new Date(),
      authors: { create: { userId: marker.id, role: "owner" } },
      modules: { create: [{ title: "Practice", position: 1, lessons: { create: [{ title: "Weld a butt joint", kind: "task", position: 1, taskHandIn: "Photos of both sides and the report.", durationMinutes: 60 }] } }] },
    },
    include: { modules: { include: { lessons: true } } },
  });
  const task = course.modules[0].lessons[0];
  await prisma.markingScheme.create({
    data: {
      lessonId: task.id,
      attemptsAllowed: 2,
      markers: { create: { userId: marker.id } },
      sections: {
        create: {
          name: "Visual inspection",
          weighting: 100,
          position: 0,
          criteria: { create: { code: "A", name: "Bead", position: 0, aspects: { create: { kind: "measurement", description: "Full penetration", maxMark: 100, measurement: { mode: "binary" }, position: 0 } } } },
        },
      },
    },
  });
  await prisma.enrollment.create({ data: { userId: learner.id, courseId: course.id } });
  lesson = { slug: course.slug, id: task.id };
});

test.afterAll(async () => {
  await prisma?.$disconnect();
});

test("a learner hands in two photos and a PDF; the marker sees the gallery and zooms a photo", async ({ browser, baseURL }) => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const learnerContext = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  await loginAs(learnerContext, baseURL!, LEARNER, PASSWORD);
  const page = await learnerContext.newPage();
  // tus-js-client is fetched by this page only, when files are picked.
  const scripts: string[] = [];
  page.on("request", (r) => r.resourceType() === "script" && scripts.push(r.url()));
  await page.goto(`/courses/${lesson.slug}/lessons/${lesson.id}`);
  await waitForHydration(page);
  await expect(page.getByTestId("attempts")).toHaveText("Attempts used: 0 of 2");
  const before = scripts.length;

  await page.getByLabel("Your notes or answer").fill("Root and cap, 6 mm plate. Report attached.");
  await page.getByTestId("hand-in-picker").setInputFiles([
    { name: "front.png", mimeType: "image/png", buffer: bigPhoto },
    { name: "back.jpg", mimeType: "image/jpeg", buffer: smallPhoto },
    { name: "report.pdf", mimeType: "application/pdf", buffer: pdf },
  ]);
  const items = page.getByTestId("hand-in-item");
  await expect(items).toHaveCount(3);
  // Each file has its own progress bar, and each reaches 100 %.
  for (let i = 0; i < 3; i++) {
    await expect(items.nth(i).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100", { timeout: 30_000 });
    await expect(items.nth(i)).toHaveAttribute("data-status", "done");
  }
  expect(scripts.slice(before).some((u) => /\/build\/_shared\/browser-[A-Z0-9]+\.js$/.test(u)), "tus-js-client loaded lazily").toBe(true);
  await expect(items.nth(0)).toContainText("front.jpg");
  await expect(items.nth(0)).toContainText("Reduced from 3000 × 2000 → 2000 × 1333 px");
  await page.screenshot({ path: path.join(ARTIFACTS, "hand-ins-uploaded.png"), fullPage: true });
  await page.getByTestId("hand-in-submit").click();

  // The learner's own hand-in shows the files; the form is fresh for attempt 2.
  await expect(page.getByTestId("attempts")).toHaveText("Attempts used: 1 of 2");
  const mine = page.getByTestId("hand-in-files");
  await expect(mine.getByTestId("hand-in-photo")).toHaveCount(2);
  await expect(mine.getByTestId("hand-in-file")).toHaveText("report.pdf");
  await expect(page.getByTestId("hand-in-item")).toHaveCount(0);

  const sub = await prisma.taskSubmission.findFirstOrThrow({ where: { lessonId: lesson.id, user: { email: LEARNER } }, include: { files: { orderBy: { position: "asc" }, include: { asset: true } } } });
  expect(sub.files.map((f) => [f.kind, f.asset.originalName, f.asset.mimeType])).toEqual([
    ["photo", "front.jpg", "image/jpeg"],
    ["photo", "back.jpg", "image/jpeg"],
    ["file", "report.pdf", "application/pdf"],
  ]);
  await learnerContext.close();

  // The marker: the gallery beside the aspects, a photo opened and zoomed.
  const markerContext = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  await loginAs(markerContext, baseURL!, MARKER, PASSWORD);
  const m = await markerContext.newPage();
  await m.goto(`/marking/${sub.id}`);
  await waitForHydration(m);
  const gallery = m.getByTestId("hand-in-files");
  await expect(gallery.getByTestId("hand-in-photo")).toHaveCount(2);
  await expect(gallery.getByTestId("hand-in-file")).toHaveText("report.pdf");
  await expect(m.getByRole("form", { name: "Full penetration" })).toBeVisible();

  await gallery.getByTestId("hand-in-photo").first().click();
  const viewer = m.getByTestId("photo-viewer");
  await expect(viewer).toBeVisible();
  await expect(viewer).toContainText("Photo 1 of 2: front.jpg");
  const full = viewer.getByTestId("photo-full");
  await expect(full).toHaveAttribute("data-zoom", "fit");
  await viewer.getByTestId("photo-zoom").click();
  await expect(full).toHaveAttribute("data-zoom", "actual");
  // Actual size: the photo's own pixels (downscaled in the learner's browser to 2000 px).
  const natural = await full.evaluate((img: HTMLImageElement) => ({ w: img.naturalWidth, h: img.naturalHeight, shown: img.getBoundingClientRect().width }));
  expect(natural).toMatchObject({ w: 2000, h: 1333 });
  expect(natural.shown).toBe(2000);
  await m.screenshot({ path: path.join(ARTIFACTS, "hand-ins-zoomed.png") });
  // Keyboard: arrow to the next photo, Escape closes.
  await m.keyboard.press("ArrowRight");
  await expect(viewer).toContainText("Photo 2 of 2: back.jpg");
  await m.keyboard.press("Escape");
  await expect(viewer).toBeHidden();
  // And opens from the keyboard too.
  await gallery.getByTestId("hand-in-photo").nth(1).focus();
  await m.keyboard.press("Enter");
  await expect(m.getByTestId("photo-viewer")).toContainText("Photo 2 of 2: back.jpg");
  await m.keyboard.press("Escape");
  // On a phone the submission stacks above the aspects, nothing wider than the screen.
  await m.setViewportSize({ width: 390, height: 844 });
  await m.reload();
  await expect(m.getByTestId("hand-in-files").getByTestId("hand-in-photo")).toHaveCount(2);
  expect(await m.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await m.screenshot({ path: path.join(ARTIFACTS, "hand-ins-marking-phone.png"), fullPage: true });
  await markerContext.close();
});

test("a dropped connection mid-upload resumes from the server's offset, and so does a reload", async ({ browser, baseURL }) => {
  // 12 MB: two PATCH requests of 8 MB and 4 MB (the uploader's chunk size).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handin-drop-"));
  const file = path.join(dir, "measurements.pdf");
  fs.writeFileSync(file, Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(12 * 1024 * 1024, 32), Buffer.from("\n%%EOF\n")]));
  const context = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  await loginAs(context, baseURL!, LEARNER, PASSWORD);
  const page = await context.newPage();
  const offsets: string[] = [];
  let heads = 0;
  page.on("request", (r) => {
    if (!r.url().includes("/uploads/hand-ins/")) return;
    if (r.method() === "PATCH") offsets.push(r.headers()["upload-offset"]);
    if (r.method() === "HEAD") heads++;
  });
  // The link drops under the second request once, then (later) for good.
  let mode: "once" | "down" | "up" = "once";
  await page.route("**/uploads/hand-ins/*", async (route) => {
    const r = route.request();
    if (r.method() === "PATCH" && r.headers()["upload-offset"] !== "0" && mode !== "up") {
      if (mode === "once") mode = "up";
      return route.abort("connectionreset");
    }
    return route.continue();
  });
  await page.goto(`/courses/${lesson.slug}/lessons/${lesson.id}`);
  await waitForHydration(page);
  await page.getByTestId("hand-in-picker").setInputFiles(file);
  const item = page.getByTestId("hand-in-item");
  await expect(item).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  // Retried after the drop: HEAD asked the offset, the retry went on from 8 MB, not from 0.
  expect(heads).toBeGreaterThanOrEqual(1);
  expect(offsets).toEqual(["0", String(8 * 1024 * 1024), String(8 * 1024 * 1024)]);
  await item.getByRole("button", { name: "Remove measurements.pdf" }).click();
  await expect(item).toHaveCount(0);

  // Again, but the link stays down after the first 8 MB and the learner reloads the page.
  offsets.length = 0;
  mode = "down";
  await page.getByTestId("hand-in-picker").setInputFiles(file);
  await expect(page.getByTestId("hand-in-item")).toHaveAttribute("data-status", "retrying", { timeout: 30_000 });
  await page.reload();
  await waitForHydration(page);
  mode = "up";
  offsets.length = 0;
  await page.getByTestId("hand-in-picker").setInputFiles(file);
  await expect(page.getByTestId("hand-in-item")).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  // After the reload only the missing 4 MB went: the upload's address was kept in localStorage.
  expect(offsets).toEqual([String(8 * 1024 * 1024)]);
  await context.close();
  fs.rmSync(dir, { recursive: true });
});
