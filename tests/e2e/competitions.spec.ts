// A mock competition end to end in Chromium: the creator (an expert) is refused with too few
// markers for a scheme with judgement aspects, then creates the competition; the learner sees
// the countdown and hands in a photo; three markers mark through the marking queue; the
// creator releases; the learner sees rank and medal and downloads the certificate (read back
// with pdftotext). The seeded demo competition shows its results to the demo learner. The
// course, scheme and people are made directly in the e2e database.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Browser } from "@playwright/test";
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { hashPassword } from "../../app/domains/auth/password.server";
import { DEMO, e2eDatabaseUrl, loginAs, waitForHydration } from "./helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });

const ARTIFACTS = path.resolve("test-results/artifacts");
const run = Date.now().toString(36);
const PASSWORD = "e2e-competition-password";
const CREATOR = `e2e-comp-creator-${run}@skillrelay.test`;
const MARKERS = [1, 2, 3].map((i) => `e2e-comp-marker${i}-${run}@skillrelay.test`);
const LEARNER = `e2e-comp-learner-${run}@skillrelay.test`;
const LEARNER_NAME = "欧阳静 Ouyang Jing";
const TITLE = `Mock weld-off ${run}`;
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4520000000049454e44ae426082", "hex");

let prisma: PrismaClient;
let taskTitle = "";
let taskId = "";
let creatorId = "";

test.beforeAll(async () => {
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDatabaseUrl() }) });
  const passwordHash = await hashPassword(PASSWORD);
  const mk = (email: string, name: string, role: "expert" | "learner") => prisma.user.create({ data: { email, name, role, passwordHash, locale: "en", timeZone: "Asia/Shanghai" } });
  const creator = await mk(CREATOR, "Creator Expert", "expert");
  creatorId = creator.id;
  for (const [i, m] of MARKERS.entries()) await mk(m, `Marker ${i + 1}`, "expert");
  await mk(LEARNER, LEARNER_NAME, "learner");
  const category = await prisma.skillCategory.upsert({ where: { slug: "e2e-comp" }, create: { slug: "e2e-comp", nameEn: "Welding (e2e competition)", nameZh: "焊接（竞赛测试）", sortOrder: 999 }, update: {} });
  taskTitle = `Fillet weld ${run}`;
  const course = await prisma.course.create({
    data: {
      slug: `e2e-comp-${run}`,
      title: `Competition course ${run}`,
      categoryId: category.id,
      status: "published",
      publishedAt: new Date(),
      authors: { create: { userId: creator.id, role: "owner" } },
      modules: { create: [{ title: "M", position: 0, lessons: { create: [{ title: taskTitle, kind: "task", position: 0, body: "Weld it." }] } }] },
    },
    include: { modules: { include: { lessons: true } } },
  });
  taskId = course.modules[0].lessons[0].id;
  await prisma.markingScheme.create({
    data: {
      lessonId: course.modules[0].lessons[0].id,
      sections: {
        create: [
          { name: "Safety", weighting: 40, position: 0, criteria: { create: [{ code: "A", name: "PPE", position: 0, aspects: { create: [{ kind: "measurement", description: "PPE worn", maxMark: 40, measurement: { mode: "binary" }, position: 0 }] } }] } },
          { name: "Visual", weighting: 60, position: 1, criteria: { create: [{ code: "B", name: "Bead", position: 0, aspects: { create: [{ kind: "judgement", description: "Uniform bead", maxMark: 60, descriptors: ["Poor", "Below standard", "Standard", "Excellent"], position: 0 }] } }] } },
        ],
      },
    },
  });
});

test.afterAll(async () => {
  await prisma?.$disconnect();
});

/** "YYYY-MM-DDTHH:mm" on a Shanghai wall clock (the creator's zone). */
const shanghai = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 16);

async function open(browser: Browser, baseURL: string, email: string, password = PASSWORD) {
  const context = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" }, acceptDownloads: true });
  await loginAs(context, baseURL, email, password);
  return { context, page: await context.newPage() };
}

test("creator makes a competition, the learner hands in, three markers mark, results are released, the learner gets rank, medal and certificate", async ({ browser, baseURL }) => {
  // Six people log in and out in one test: on a loaded 2-core machine it needs more than 60 s.
  test.slow();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const creator = await open(browser, baseURL!, CREATOR);
  const page = creator.page;
  await page.goto("/teach");
  await page.getByRole("link", { name: "Competitions" }).click();
  await page.getByRole("link", { name: "New competition" }).click();
  await waitForHydration(page);
  await page.getByLabel("Title").fill(TITLE);
  await page.getByLabel("Marking scheme (practical task)").selectOption({ label: `Competition course ${run} · ${taskTitle} (needs 3 markers)` });
  await page.getByLabel("Description (Markdown)").fill("Weld a **fillet** joint.");
  await page.getByLabel("Module 1", { exact: true }).fill("Fillet weld");
  await page.getByLabel("Minutes for module 1").fill("60");
  await page.getByLabel("Starts").fill(shanghai(Date.now() - 60_000));
  await page.getByLabel("Ends", { exact: true }).fill(shanghai(Date.now() + 3 * 3_600_000));
  await page.getByLabel("Competitors' e-mails (one per line)").fill(LEARNER);
  await page.getByLabel("Markers' e-mails (experts, one per line)").fill(MARKERS.slice(0, 2).join("\n"));
  await page.getByRole("button", { name: "Create the competition" }).click();
  // Judgement aspects need three markers: refused with a clear error, nothing typed is lost.
  await expect(page.getByText("This scheme has judgement aspects: it needs at least 3 markers (you gave 2).")).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue(TITLE);
  await expect(page.getByLabel("Module 1", { exact: true })).toHaveValue("Fillet weld");
  await page.getByLabel("Markers' e-mails (experts, one per line)").fill(MARKERS.join("\n"));
  await page.getByRole("button", { name: "Create the competition" }).click();
  await expect(page.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
  await expect(page.getByText("Fillet weld — 60 min")).toBeVisible();
  const competitionId = page.url().split("/competitions/")[1];

  // The learner: dashboard → competitions → the competition with its countdown; hands in a photo.
  const learner = await open(browser, baseURL!, LEARNER);
  await learner.page.goto("/dashboard");
  await learner.page.getByTestId("competitions-link").click();
  await learner.page.getByRole("link", { name: TITLE }).click();
  await waitForHydration(learner.page);
  const countdown = learner.page.getByTestId("countdown");
  await expect(countdown).toContainText("Time left");
  const first = Number(await countdown.getAttribute("data-seconds"));
  await expect.poll(async () => Number(await countdown.getAttribute("data-seconds"))).toBeLessThan(first);
  await learner.page.setViewportSize({ width: 390, height: 844 });
  await learner.page.screenshot({ path: path.join(ARTIFACTS, "competition-phone.png"), fullPage: true });
  await learner.page.getByLabel("Note (what you did, measured values)").fill("180 A, 22 V");
  await learner.page.getByLabel("Photo, video, PDF or ZIP").setInputFiles({ name: "weld.png", mimeType: "image/png", buffer: PNG });
  await learner.page.getByRole("button", { name: "Hand in" }).click();
  await expect(learner.page.getByText("Your work was handed in.")).toBeVisible();
  await expect(learner.page.getByTestId("my-hand-in")).toContainText("Being marked");
  await learner.page.goto(`/competitions/${competitionId}/results`);
  await expect(learner.page.getByTestId("being-marked")).toBeVisible();

  // Three markers, through the ordinary marking queue.
  for (const [i, email] of MARKERS.entries()) {
    const marker = await open(browser, baseURL!, email);
    await marker.page.goto("/marking");
    await marker.page.getByRole("link", { name: new RegExp(TITLE) }).click();
    await waitForHydration(marker.page);
    if (i === 0) {
      const ppe = marker.page.getByRole("form", { name: "PPE worn" });
      await ppe.getByLabel("Awarded", { exact: true }).check();
      await ppe.getByRole("button", { name: "Save" }).click();
      await expect(ppe.getByText("Saved.")).toBeVisible();
    }
    const bead = marker.page.getByRole("form", { name: "Uniform bead" });
    await bead.getByRole("radio", { name: /^3 Excellent/ }).check();
    await bead.getByRole("button", { name: "Save" }).click();
    await expect(bead.getByText("Saved.")).toBeVisible();
    await marker.context.close();
  }

  // The window ends (moved in the database rather than waiting); the creator releases by hand.
  await prisma.competition.update({ where: { id: competitionId }, data: { endsAt: new Date(Date.now() - 1000) } });
  await page.goto(`/competitions/${competitionId}`);
  await expect(page.getByText("Ready to release")).toBeVisible();
  await page.getByText("Release the results", { exact: true }).click();
  await page.getByRole("button", { name: "Yes, release" }).click();
  await expect(page.getByText("The results were released")).toBeVisible();

  // The learner: rank 1, gold, a certificate; the notification; the PDF has the name.
  await learner.page.setViewportSize({ width: 1280, height: 900 });
  await learner.page.goto(`/competitions/${competitionId}/results`);
  await expect(learner.page.getByTestId("my-result")).toContainText("Rank 1 of 1");
  await expect(learner.page.getByTestId("my-result")).toContainText("Gold");
  await expect(learner.page.getByTestId("scale-note")).toContainText("700 + 100");
  await learner.page.screenshot({ path: path.join(ARTIFACTS, "competition-results.png"), fullPage: true });
  const [download] = await Promise.all([learner.page.waitForEvent("download"), learner.page.getByTestId("certificate-pdf").click()]);
  const file = path.join(ARTIFACTS, `competition-certificate-${run}.pdf`);
  await download.saveAs(file);
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  expect(text).toContain("Ouyang Jing");
  expect(text).toContain(TITLE);
  await learner.page.goto("/notifications");
  await expect(learner.page.getByText(`Results of ${TITLE}`)).toBeVisible();
  const cert = await prisma.certificate.findFirstOrThrow({ where: { competitionId } });
  const visitor = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const v = await visitor.newPage();
  await v.goto(`/verify/${cert.code}`);
  await expect(v.getByText("Valid certificate")).toBeVisible();
  await expect(v.getByText(LEARNER_NAME)).toBeVisible();
  await visitor.close();
  await learner.context.close();
  await creator.context.close();
});

test("the demo learner sees the seeded, released competition with a ranked table", async ({ browser, baseURL }) => {
  const { context, page } = await open(browser, baseURL!, DEMO.learner, "skillrelay-demo");
  const hydration: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Minified React error #(418|423|425)|Hydration failed|did not match/.test(m.text())) hydration.push(m.text().slice(0, 200));
  });
  // The upcoming round: a countdown to the start, server-rendered and ticking after hydration.
  await page.goto("/competitions");
  await page.getByTestId("competition-list").getByRole("link", { name: /round 2/ }).click();
  await waitForHydration(page);
  await expect(page.getByTestId("countdown")).toContainText("Starts in");
  await expect(page.getByText("Hand-ins open when the competition starts.")).toBeVisible();
  expect(hydration).toEqual([]);
  await page.goto("/competitions");
  await expect(page.getByTestId("competition-list").getByRole("listitem")).toHaveCount(2);
  await page.getByTestId("competition-list").getByRole("link", { name: "Results" }).first().click();
  await expect(page.getByTestId("my-result")).toBeVisible();
  await expect(page.getByTestId("rank")).toHaveCount(5);
  await waitForHydration(page);
  expect(hydration).toEqual([]);
  await context.close();
  // The same page in Chinese, on a phone.
  const zh = await browser.newContext({ locale: "zh-CN", extraHTTPHeaders: { "Accept-Language": "zh-CN,zh;q=0.9" }, viewport: { width: 390, height: 844 } });
  await loginAs(zh, baseURL!, DEMO.learner, "skillrelay-demo");
  const zhPage = await zh.newPage();
  await zhPage.goto("/competitions");
  await zhPage.getByTestId("competition-list").getByRole("link", { name: "成绩" }).first().click();
  await expect(zhPage.getByRole("heading", { name: "原始分分布" })).toBeVisible();
  await expect(zhPage.getByTestId("my-result")).toContainText("第");
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await zhPage.screenshot({ path: path.join(ARTIFACTS, "competition-results-zh-phone.png"), fullPage: true });
  await zh.close();
});

/** A competition of the creator starting in two hours (on a whole minute) for an hour, with these competitors and the three markers. */
async function upcomingCompetition(title: string, participantIds: string[]) {
  const markerRows = await prisma.user.findMany({ where: { email: { in: MARKERS } } });
  const start = Math.floor((Date.now() + 2 * 3_600_000) / 60_000) * 60_000;
  const comp = await prisma.competition.create({
    data: {
      title,
      lessonId: taskId,
      createdById: creatorId,
      startsAt: new Date(start),
      endsAt: new Date(start + 3_600_000),
      participants: { create: participantIds.map((userId) => ({ userId })) },
      markers: { create: markerRows.map((m) => ({ userId: m.id })) },
    },
  });
  return { comp, start };
}

test("the creator edits a competition (new title, longer window) and then cancels it with a reason; the competitor is told and can no longer hand in", async ({ browser, baseURL }) => {
  const title = `Edit me ${run}`;
  const learnerRow = await prisma.user.findUniqueOrThrow({ where: { email: LEARNER } });
  const { comp, start } = await upcomingCompetition(title, [learnerRow.id]);
  const creator = await open(browser, baseURL!, CREATOR);
  const page = creator.page;
  await page.goto(`/competitions/${comp.id}`);
  await page.getByRole("link", { name: "Edit or cancel" }).click();
  await waitForHydration(page);
  await expect(page.getByLabel("Starts")).toHaveValue(shanghai(start));
  // A bad value: the field says why, focus is on it, the other values stay.
  await page.getByLabel("Title").fill(`${title} (moved)`);
  await page.getByLabel("Ends", { exact: true }).fill(shanghai(start - 3_600_000));
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("The end must be after the start")).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue(`${title} (moved)`);
  await page.getByLabel("Ends", { exact: true }).fill(shanghai(start + 2 * 3_600_000));
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Changes saved.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: `${title} (moved)` })).toBeVisible();
  expect((await prisma.competition.findUniqueOrThrow({ where: { id: comp.id } })).endsAt.getTime()).toBe(start + 2 * 3_600_000);

  // Cancel: a reason, then a confirmation.
  await page.getByRole("link", { name: "Edit or cancel" }).click();
  await waitForHydration(page);
  await page.getByLabel("Reason (shown to competitors and markers)").fill("The workshop is closed for repairs");
  await page.getByText("Cancel competition", { exact: true }).click();
  await page.getByRole("button", { name: "Yes, cancel it" }).click();
  await expect(page.getByText("The competition is cancelled; competitors and markers have been told.")).toBeVisible();
  await expect(page.getByText("Cancelled", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit or cancel" })).toHaveCount(0);

  const learner = await open(browser, baseURL!, LEARNER);
  await learner.page.goto(`/competitions/${comp.id}`);
  await expect(learner.page.getByText(/was cancelled on .*The workshop is closed for repairs/)).toBeVisible();
  await expect(learner.page.getByRole("button", { name: "Hand in" })).toHaveCount(0);
  await learner.page.goto("/notifications");
  await expect(learner.page.getByText(`${title} (moved) is cancelled`)).toBeVisible();
  await learner.context.close();
  await creator.context.close();
});

test("the creator removes a competitor before the start (with a confirmation); the learner is told and no longer sees the competition", async ({ browser, baseURL }) => {
  const title = `Remove me ${run}`;
  const learnerRow = await prisma.user.findUniqueOrThrow({ where: { email: LEARNER } });
  const other = await prisma.user.create({ data: { email: `e2e-comp-other-${run}@skillrelay.test`, name: "Second Competitor", role: "learner", passwordHash: "unused" } });
  const { comp } = await upcomingCompetition(title, [learnerRow.id, other.id]);
  const creator = await open(browser, baseURL!, CREATOR);
  const page = creator.page;
  await page.goto(`/competitions/${comp.id}`);
  await waitForHydration(page);
  const row = page.getByTestId(`remove-${learnerRow.id}`);
  await row.getByText("Remove", { exact: true }).click();
  await expect(row.getByText(`Remove ${LEARNER_NAME} from this competition?`)).toBeVisible();
  await row.getByRole("button", { name: "Yes, remove" }).click();
  await expect(page.getByText("The competitor was removed and has been told.")).toBeVisible();
  await expect(page.getByRole("cell", { name: LEARNER_NAME })).toHaveCount(0);
  await expect(page.getByRole("cell", { name: "Second Competitor" })).toBeVisible();
  expect(await prisma.competitionParticipant.count({ where: { competitionId: comp.id } })).toBe(1);

  const learner = await open(browser, baseURL!, LEARNER);
  const res = await learner.page.goto(`/competitions/${comp.id}`);
  expect(res?.status()).toBe(404);
  await learner.page.goto("/competitions");
  await expect(learner.page.getByText(title)).toHaveCount(0);
  await learner.page.goto("/notifications");
  await expect(learner.page.getByText(`You are no longer entered in ${title}`)).toBeVisible();
  await learner.context.close();
  await creator.context.close();
});
