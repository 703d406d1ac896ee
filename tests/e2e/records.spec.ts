// Issue 12 end to end: a school admin verifies a learner's identity and runs a programme; the
// learner studies a lesson and attends a live session in a real browser; the admin updates the
// hours and downloads the XLSX, which exceljs reads back: its totals match the ledger page.
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { expect, test } from "@playwright/test";
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { hashPassword } from "../../app/domains/auth/password.server";
import { checkCharacter } from "../../app/domains/records/id-number";
import { e2eDatabaseUrl, loginAs, waitForHydration } from "./helpers";
import { enterRoom } from "./live-helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });

const ARTIFACTS = path.resolve("test-results/artifacts");
const run = Date.now().toString(36);
const PASSWORD = "e2e-records-password";
const SCHOOL = `e2e-records-school-${run}@skillrelay.test`;
const LEARNER = `e2e-records-learner-${run}@skillrelay.test`;
const COHORT = `Records class ${run}`;
const COURSE = `Arc safety ${run}`;
const PROGRAMME = `Welder programme ${run}`;
// A valid resident ID number (check character computed), not a real person's.
const first17 = `51343119950307${String(Date.now() % 1000).padStart(3, "0")}`;
const ID = first17 + checkCharacter(first17);

let prisma: PrismaClient;
let learnerId = "";
let sessionId = "";
let lessonUrl = "";

const shanghaiDay = (offsetDays = 0) => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date(Date.now() + offsetDays * 86_400_000));

test.beforeAll(async () => {
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDatabaseUrl() }) });
  const passwordHash = await hashPassword(PASSWORD);
  const admin = await prisma.user.create({ data: { email: SCHOOL, name: `Records Admin ${run}`, role: "school_admin", passwordHash, locale: "en" } });
  const expert = await prisma.user.create({ data: { email: `e2e-records-expert-${run}@skillrelay.test`, name: `Records Expert ${run}`, role: "expert", passwordHash, locale: "en" } });
  const org = await prisma.organization.create({ data: { name: `Records School ${run}`, verifiedAt: new Date() } });
  // A learner the school brought in (as its CSV import does): the school may record the ID number.
  const learner = await prisma.user.create({ data: { email: LEARNER, name: `Records Learner ${run}`, role: "learner", passwordHash, locale: "en", createdByOrgId: org.id } });
  learnerId = learner.id;
  await prisma.membership.createMany({ data: [{ orgId: org.id, userId: admin.id, role: "admin" }, { orgId: org.id, userId: learner.id, role: "learner" }] });
  const cohort = await prisma.cohort.create({ data: { orgId: org.id, name: COHORT, members: { create: [{ userId: learner.id }] } } });
  await prisma.region.upsert({ where: { code: "513431" }, create: { code: "513431", name: "昭觉县", nameEn: "Zhaojue County", povertyCounty: true }, update: {} });
  const category = await prisma.skillCategory.upsert({
    where: { slug: "e2e-records-welding" },
    create: { slug: "e2e-records-welding", nameEn: "Welding (e2e records)", nameZh: "焊接（记录测试）", sortOrder: 999 },
    update: {},
  });
  const course = await prisma.course.create({
    data: {
      slug: `e2e-records-${run}`,
      title: COURSE,
      categoryId: category.id,
      status: "published",
      publishedAt: new Date(),
      modules: { create: [{ title: "Module", position: 1, lessons: { create: [{ title: "Fumes", kind: "text", position: 1, body: "Ventilate the booth." }] } }] },
    },
    include: { modules: { include: { lessons: true } } },
  });
  await prisma.enrollment.create({ data: { userId: learner.id, courseId: course.id } });
  lessonUrl = `/courses/${course.slug}/lessons/${course.modules[0].lessons[0].id}`;
  const session = await prisma.liveSession.create({
    data: {
      hostId: expert.id,
      title: `Records live ${run}`,
      kind: "group",
      capacity: 5,
      cohortId: cohort.id,
      courseId: course.id,
      startsAt: new Date(Date.now() - 60_000),
      endsAt: new Date(Date.now() + 30 * 60_000),
      invites: { create: [{ userId: learner.id }] },
    },
  });
  sessionId = session.id;
});
test.afterAll(async () => {
  await prisma?.$disconnect();
});

test("verify a learner, run a programme, study and attend live, export the XLSX that matches the ledger", async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const adminContext = await browser.newContext({ acceptDownloads: true });
  await loginAs(adminContext, baseURL!, SCHOOL, PASSWORD);
  const admin = await adminContext.newPage();

  // Identity: legal name, county, ID number; then verified against a document.
  await admin.goto(`/school/learners/${learnerId}/identity`);
  await admin.getByLabel("Legal name").fill("阿依莫");
  await admin.getByLabel(/County of household registration/).fill("513431");
  await admin.getByLabel("ID number").fill(ID);
  await admin.getByRole("button", { name: "Save" }).click();
  await expect(admin.getByText("Identity saved.")).toBeVisible();
  await admin.getByLabel("Document reference").fill("Zhaojue public security bureau");
  await admin.getByRole("button", { name: "Mark as verified" }).click();
  await expect(admin.getByText("Identity verified.")).toBeVisible();
  await expect(admin.getByText("Verified", { exact: true })).toBeVisible();
  expect(await admin.content()).not.toContain(ID);

  // The programme for the class and its course.
  await admin.goto("/school/programmes");
  await admin.getByLabel("Title").fill(PROGRAMME);
  await admin.getByLabel("Class").selectOption({ label: `Records School ${run} · ${COHORT}` });
  await admin.getByLabel("Start date").fill(shanghaiDay(-1));
  await admin.getByLabel("End date").fill(shanghaiDay(30));
  await admin.getByLabel("Subsidy per hour (yuan)").fill("12");
  await admin.getByLabel("Minimum minutes for a day to count").fill("15");
  await admin.getByLabel("Minutes credited per text or material lesson").fill("20");
  await admin.getByLabel(COURSE).check();
  await admin.getByRole("button", { name: "Create programme" }).click();
  await expect(admin).toHaveURL(/\/school\/programmes\/[a-z0-9]+$/);
  const programmeUrl = new URL(admin.url()).pathname;

  // The learner reads the lesson and stays in the live session for over a minute.
  const learnerContext = await browser.newContext();
  await loginAs(learnerContext, baseURL!, LEARNER, PASSWORD);
  const learner = await learnerContext.newPage();
  await learner.goto(lessonUrl);
  await learner.getByRole("button", { name: "I have read this lesson" }).click();
  await expect(learner.getByTestId("lesson-done")).toBeVisible();
  await learner.goto(`/live/${sessionId}`);
  await enterRoom(learner, { audioOnly: true });
  await learner.waitForTimeout(75_000);
  await learner.getByTestId("live-leave").click();
  await expect.poll(async () => (await prisma.attendance.findFirst({ where: { sessionId, userId: learnerId } }))?.leftAt ?? null, { timeout: 15_000 }).not.toBeNull();
  await learnerContext.close();

  // The admin updates the hours and reads them on the ledger page.
  await admin.goto(programmeUrl);
  await waitForHydration(admin);
  await admin.getByRole("button", { name: "Update hours from activity" }).click();
  await expect(admin.getByText("Hours updated.")).toBeVisible();
  const row = admin.getByRole("row", { name: new RegExp(`Records Learner ${run}`) });
  await expect(row).toBeVisible();
  await expect(row.locator("td").nth(1)).toHaveText("0:20");
  const cells = await row.locator("td").allInnerTexts();
  // name, lesson, live, assessment, correction, total, days, subsidy
  expect(cells[1]).toBe("0:20");
  const liveMinutes = Number(cells[2].split(":")[1]) + 60 * Number(cells[2].split(":")[0]);
  expect(liveMinutes).toBeGreaterThanOrEqual(1);
  const [h, m] = cells[5].split(":").map(Number);
  const totalMinutes = h * 60 + m;
  expect(totalMinutes).toBe(20 + liveMinutes);
  expect(cells[6]).toBe("1");

  // The export for the programme's whole period; the progress line shows until the file arrives.
  const [download] = await Promise.all([admin.waitForEvent("download"), admin.getByRole("button", { name: "Download XLSX" }).click()]);
  expect(download.url()).toMatch(/token=[a-z0-9]{6,}/);
  await expect(admin.getByTestId("export-progress")).toHaveAttribute("data-state", "idle", { timeout: 15_000 });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `programme-${run}.xlsx`);
  await download.saveAs(file);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const sheet = wb.worksheets[0];
  const values = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
  expect(values(1)[1]).toBe("ID number");
  const learnerRow = values(2);
  expect(learnerRow[0]).toBe("阿依莫");
  expect(learnerRow[1]).toBe(ID);
  expect(learnerRow[3]).toBe("昭觉县 513431");
  expect(learnerRow[6]).toBeCloseTo(20 / 60, 2);
  expect(learnerRow[7]).toBeCloseTo(liveMinutes / 60, 2);
  expect(learnerRow[9]).toBeCloseTo(totalMinutes / 60, 2);
  expect(learnerRow[10]).toBe(1);
  expect(values(3)[0]).toBe("Total");
  expect(values(3)[9]).toBeCloseTo(totalMinutes / 60, 2);
  // The full-ID export is in the audit log.
  const audit = await prisma.auditEntry.findFirst({ where: { action: "records.export_full_id", subjectId: programmeUrl.split("/").pop() } });
  expect(audit).not.toBeNull();
  await adminContext.close();
});
