// A school admin imports a class from CSV, assigns a course, a learner activates their
// account through the invitation link and completes a lesson, and the admin sees it on the
// cohort page (chart, table, CSV export). Its own organisation, admin and course are made
// directly in the e2e database, so the test does not depend on the demo seed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { hashPassword } from "../../app/domains/auth/password.server";
import { e2eDatabaseUrl, loginAs } from "./helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });

const ARTIFACTS = path.resolve("test-results/artifacts");
const run = Date.now().toString(36);
const ADMIN_EMAIL = `e2e-school-${run}@skillrelay.test`;
const ADMIN_PASSWORD = "e2e-school-password";
const COHORT = `E2E 焊接1班 ${run}`;
// Phone numbers unique to this run (the e2e database is fresh, but keep reruns safe).
const PHONE_BASE = String(Date.now()).slice(-4);
const phone = (n: number) => `139${PHONE_BASE}${String(n).padStart(4, "0")}`;

let prisma: PrismaClient;
let course: { id: string; slug: string; title: string; lessons: string[] };

test.beforeAll(async () => {
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDatabaseUrl() }) });
  const admin = await prisma.user.create({
    data: { email: ADMIN_EMAIL, name: "E2E 张老师", role: "school_admin", passwordHash: await hashPassword(ADMIN_PASSWORD), locale: "en" },
  });
  const org = await prisma.organization.create({ data: { name: `E2E 凉山技师学院 ${run}`, kind: "school", verifiedAt: new Date() } });
  await prisma.membership.create({ data: { orgId: org.id, userId: admin.id, role: "admin" } });
  await prisma.cohort.create({ data: { orgId: org.id, name: COHORT } });
  const category = await prisma.skillCategory.upsert({
    where: { slug: "e2e-schools-welding" },
    create: { slug: "e2e-schools-welding", nameEn: "Welding (e2e)", nameZh: "焊接（测试）", sortOrder: 999 },
    update: {},
  });
  const created = await prisma.course.create({
    data: {
      slug: `e2e-arc-welding-${run}`,
      title: `Arc welding safety 焊接安全 ${run}`,
      summary: "Two short readings.",
      categoryId: category.id,
      status: "published",
      publishedAt: new Date(),
      modules: {
        create: [
          {
            title: "Safety first",
            position: 1,
            lessons: {
              create: [
                { title: "Protective equipment", kind: "text", position: 1, body: "Wear a helmet, gloves and a leather apron.", durationMinutes: 15 },
                { title: "Ventilation", kind: "text", position: 2, body: "Weld where fumes are extracted.", durationMinutes: 15 },
              ],
            },
          },
        ],
      },
    },
    include: { modules: { include: { lessons: { orderBy: { position: "asc" } } } } },
  });
  course = { id: created.id, slug: created.slug, title: created.title, lessons: created.modules[0].lessons.map((l) => l.id) };
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});

test.afterAll(async () => {
  await prisma?.$disconnect();
});

function csvFile(name: string, content: string) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-csv-")), name);
  fs.writeFileSync(file, "\uFEFF" + content); // UTF-8 with BOM, as Excel's "CSV UTF-8" writes
  return file;
}

test("a school admin imports a class, assigns a course, and follows a learner's progress", async ({ browser, baseURL }) => {
  const adminContext = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });
  await loginAs(adminContext, baseURL!, ADMIN_EMAIL, ADMIN_PASSWORD);
  const page = await adminContext.newPage();

  await page.goto("/school");
  await expect(page.getByRole("heading", { name: "Your school" })).toBeVisible();
  await expect(page.getByRole("link", { name: COHORT })).toBeVisible();

  // 1. A file with mistakes: every bad line is listed, nothing is imported.
  await page.getByRole("link", { name: "Import CSV" }).click();
  await expect(page.getByRole("heading", { name: "Import learners" })).toBeVisible();
  await page.getByLabel("Add the learners to").selectOption({ label: COHORT });
  await page.getByLabel("CSV file").setInputFiles(
    csvFile("bad.csv", ["姓名,手机号,邮箱,身份证号,班级", `吉克阿依,${phone(1)},,,`, `,${phone(2)},,,`, `王建国,12345,,,`, `李娟,${phone(1)},,,`].join("\r\n")),
  );
  await page.getByRole("button", { name: "Check the file" }).click();
  const errors = page.getByTestId("import-error");
  await expect(errors).toHaveCount(3);
  await expect(errors.nth(0)).toContainText("3");
  await expect(errors.nth(0)).toContainText("The name is missing.");
  await expect(errors.nth(1)).toContainText("is not an 11-digit mainland mobile number");
  await expect(errors.nth(2)).toContainText("is already on line 2");
  await expect(page.getByRole("button", { name: /^Import \d+ learners?$/ })).toHaveCount(0);
  await page.screenshot({ path: path.join(ARTIFACTS, "import-errors.png"), fullPage: true });

  // 2. The corrected file: preview, then apply.
  await page.getByLabel("Add the learners to").selectOption({ label: COHORT });
  await page.getByLabel("CSV file").setInputFiles(
    csvFile(
      "class.csv",
      [
        "姓名,手机号,邮箱,身份证号,班级",
        `吉克阿依,${phone(1)},,11010519491231002X,`,
        `王建国,${phone(3)},wang.${run}@example.com,,`,
        `李娟,,li.juan.${run}@example.com,,${COHORT}`,
      ].join("\r\n"),
    ),
  );
  await page.getByRole("button", { name: "Check the file" }).click();
  await expect(page.getByTestId("count-new")).toHaveText("3");
  await expect(page.getByTestId("preview-row")).toHaveCount(3);
  await expect(page.getByText("1101**********002X")).toBeVisible(); // ID numbers only masked
  await page.screenshot({ path: path.join(ARTIFACTS, "import-preview.png"), fullPage: true });
  await page.getByRole("button", { name: "Import 3 learners" }).click();
  await expect(page.getByTestId("import-done")).toContainText("3 new accounts");
  const ayiLink = await page.getByTestId("imported-learner").filter({ hasText: "吉克阿依" }).getByTestId("invite-link").inputValue();
  expect(ayiLink).toMatch(/\/invite\/[\w-]+$/);

  // 3. The learners list.
  await page.getByRole("link", { name: "Learners", exact: true }).first().click();
  const list = page.getByTestId("learner-list");
  for (const name of ["吉克阿依", "王建国", "李娟"]) await expect(list.getByText(name, { exact: true })).toBeVisible();
  await expect(list.getByText("**************002X")).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, "school-learners.png"), fullPage: true });

  await page.getByRole("link", { name: "Invitation links", exact: true }).click();
  await expect(page.getByTestId("slip-link")).toHaveCount(3);
  await page.screenshot({ path: path.join(ARTIFACTS, "invitation-slips.png"), fullPage: true });

  // 4. Assign the published course to the class.
  await page.goto("/school");
  await page.screenshot({ path: path.join(ARTIFACTS, "school.png"), fullPage: true });
  await page.getByRole("link", { name: COHORT }).click();
  await expect(page.getByRole("heading", { name: COHORT, level: 1 })).toBeVisible();
  await page.getByLabel("Course", { exact: true }).selectOption({ label: course.title });
  const due = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel("Due date", { exact: true }).fill(due);
  await page.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(page.getByTestId("assignment")).toContainText(course.title);
  await expect(page.getByTestId("progress-row")).toHaveCount(3);

  // 5. The learner opens their link, sets a password, and completes the first lesson.
  const learnerContext = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });
  const learner = await learnerContext.newPage();
  await learner.goto(ayiLink);
  await expect(learner.getByRole("heading", { name: "Welcome, 吉克阿依" })).toBeVisible();
  await learner.getByLabel("Choose a password").fill("ayi-password-1");
  await learner.getByLabel("Type it again").fill("ayi-password-1");
  await learner.getByRole("button", { name: "Save and start learning" }).click();
  await expect(learner).toHaveURL(/\/dashboard$/);
  await learner.goto(`/courses/${course.slug}/lessons/${course.lessons[0]}`);
  await learner.getByRole("button", { name: "I have read this lesson" }).click();
  await expect(learner.getByTestId("lesson-done")).toBeVisible();
  // The link works only once.
  await learner.goto(ayiLink);
  await expect(learner.getByRole("heading", { name: "This link was already used" })).toBeVisible();
  await learnerContext.close();

  // 6. The admin sees the progress: table, chart and CSV export.
  await page.reload();
  const row = page.getByTestId("progress-row").filter({ hasText: "吉克阿依" });
  await expect(row.getByTestId("cell-percent")).toHaveText("1/2 · 50%");
  await expect(page.getByTestId("progress-row").filter({ hasText: "王建国" }).getByTestId("cell-percent")).toHaveText("0/2 · 0%");
  await expect(page.getByTestId("summary-table")).toContainText(course.title);
  await expect(page.getByTestId("cohort-chart")).toHaveAttribute("data-ready", "true");
  await page.screenshot({ path: path.join(ARTIFACTS, "cohort.png"), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  const csv = fs.readFileSync((await download.path())!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.toString("utf8").slice(1).split("\r\n");
  expect(lines[0]).toBe("Name,Mobile,E-mail,ID number (masked),Course,Due date,Lessons completed,Lessons,Percent,Study minutes,Last activity,Status");
  expect(lines.find((l) => l.startsWith("吉克阿依,"))).toMatch(new RegExp(`,${due},1,2,50,15,.*,In progress$`));

  // On a phone-sized screen the page still works (the table scrolls sideways).
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId("cohort-chart")).toHaveAttribute("data-ready", "true");
  await page.screenshot({ path: path.join(ARTIFACTS, "cohort-mobile.png"), fullPage: true });
  await adminContext.close();
});

test("learners and other schools' admins cannot open the cohort page", async ({ browser, baseURL }) => {
  const cohort = await prisma.cohort.findFirstOrThrow({ where: { name: COHORT } });
  const learnerContext = await browser.newContext();
  await loginAs(learnerContext, baseURL!, "learner@skillrelay.test");
  const res = await learnerContext.request.get(`${baseURL}/school/cohorts/${cohort.id}`);
  expect(res.status()).toBe(403);
  const exportRes = await learnerContext.request.get(`${baseURL}/school/cohorts/${cohort.id}/export.csv`);
  expect(exportRes.status()).toBe(403);
  await learnerContext.close();

  // The demo school admin administers another organisation (or none): a 404, as if it did not exist.
  const otherAdmin = await browser.newContext();
  await loginAs(otherAdmin, baseURL!, "school@skillrelay.test");
  expect((await otherAdmin.request.get(`${baseURL}/school/cohorts/${cohort.id}`)).status()).toBe(404);
  expect((await otherAdmin.request.get(`${baseURL}/school/cohorts/${cohort.id}/export.csv`)).status()).toBe(404);
  await otherAdmin.close();
});

test("a school asks a person with their own account to join; they see what it will see and accept", async ({ browser, baseURL }) => {
  const email = `e2e-own-account-${run}@example.com`;
  const person = await prisma.user.create({
    data: { email, name: "E2E 阿呷", role: "learner", passwordHash: await hashPassword("own-account-password"), locale: "en", emailVerifiedAt: new Date() },
  });

  // The admin adds them by their (verified) e-mail: a request, not a member yet.
  const adminContext = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });
  await loginAs(adminContext, baseURL!, ADMIN_EMAIL, ADMIN_PASSWORD);
  const page = await adminContext.newPage();
  await page.goto("/school/learners");
  const invite = page.getByRole("region", { name: "Invite a learner" });
  await invite.getByLabel("Name", { exact: true }).fill("Whatever the school typed");
  await invite.getByLabel("Class").selectOption({ label: COHORT });
  await invite.getByLabel("E-mail", { exact: true }).fill(email);
  await invite.getByRole("button", { name: "Add and get link" }).click();
  await expect(page.getByTestId("invite-result")).toContainText("They were asked to join your organisation");
  await expect(page.getByTestId("invite-result").getByTestId("invite-link")).toHaveCount(0);
  await expect(page.getByTestId("learner-list").getByText(email)).toHaveCount(0);
  await expect(page.getByTestId("learner-list").getByText("E2E 阿呷")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("join-requests")).toContainText("Whatever the school typed");
  await expect(page.getByTestId("join-requests")).not.toContainText("E2E 阿呷");

  // The person finds the request among their notifications and accepts it.
  const own = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });
  await loginAs(own, baseURL!, email, "own-account-password");
  const learner = await own.newPage();
  await learner.goto("/notifications");
  await learner.getByRole("button", { name: "Open" }).first().click();
  await expect(learner).toHaveURL(/\/join\/\w+$/);
  await expect(learner.getByRole("heading", { name: /asks you to join$/ })).toBeVisible();
  await expect(learner.getByText(`Class: ${COHORT}`)).toBeVisible();
  await expect(learner.getByText("your name, e-mail and mobile number;")).toBeVisible();
  await learner.screenshot({ path: path.join(ARTIFACTS, "join-request.png"), fullPage: true });
  await learner.getByRole("button", { name: "Accept and join" }).click();
  await expect(learner).toHaveURL(/\/dashboard$/);
  await own.close();

  await page.goto("/school/learners");
  await expect(page.getByTestId("learner-list").getByText("E2E 阿呷", { exact: true })).toBeVisible();
  await expect(page.getByTestId("join-requests")).toHaveCount(0);
  expect(await prisma.cohortMember.count({ where: { userId: person.id, cohort: { name: COHORT } } })).toBe(1);
  await adminContext.close();
});
