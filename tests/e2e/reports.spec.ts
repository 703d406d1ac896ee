// A platform admin and a school admin open their reports in a real browser: the charts draw
// (Chart.js loaded on demand), the tables carry the same numbers, the period filter works,
// and the page fits a phone.
import { expect, test } from "@playwright/test";
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { hashPassword } from "../../app/domains/auth/password.server";
import { e2eDatabaseUrl, loginAs } from "./helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });

const run = Date.now().toString(36);
const ADMIN = `e2e-report-admin-${run}@skillrelay.test`;
const SCHOOL = `e2e-report-school-${run}@skillrelay.test`;
const PASSWORD = "e2e-report-password";
const ORG = `E2E Report School ${run}`;

let prisma: PrismaClient;

test.beforeAll(async () => {
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDatabaseUrl() }) });
  const passwordHash = await hashPassword(PASSWORD);
  await prisma.user.create({ data: { email: ADMIN, name: `E2E Report Admin ${run}`, role: "admin", passwordHash, locale: "en" } });
  const schoolAdmin = await prisma.user.create({ data: { email: SCHOOL, name: `E2E Report School Admin ${run}`, role: "school_admin", passwordHash, locale: "en" } });
  const org = await prisma.organization.create({ data: { name: ORG, verifiedAt: new Date() } });
  await prisma.membership.create({ data: { orgId: org.id, userId: schoolAdmin.id, role: "admin" } });
  await prisma.region.upsert({ where: { code: "513431" }, create: { code: "513431", name: "昭觉县", nameEn: "Zhaojue County", povertyCounty: true }, update: {} });
  for (let i = 0; i < 3; i++) {
    const learner = await prisma.user.create({ data: { email: `e2e-report-l${i}-${run}@skillrelay.test`, name: `Report Learner ${i} ${run}`, role: "learner", passwordHash, locale: "en" } });
    await prisma.membership.create({ data: { orgId: org.id, userId: learner.id, role: "learner" } });
    await prisma.learnerIdentity.create({ data: { userId: learner.id, legalName: `L${i}`, countyCode: "513431" } });
  }
});
test.afterAll(async () => {
  await prisma?.$disconnect();
});

test("platform and school reports draw their charts beside tables, on a phone too", async ({ browser, baseURL }) => {
  const adminContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await loginAs(adminContext, baseURL!, ADMIN, PASSWORD);
  const page = await adminContext.newPage();
  await page.goto("/admin/reports");
  await expect(page.getByRole("heading", { level: 1, name: "Platform reports" })).toBeVisible();
  for (const id of ["report-chart-activity", "report-chart-hours", "report-chart-county", "report-chart-group"]) {
    await expect(page.getByTestId(id)).toHaveAttribute("data-ready", "true", { timeout: 15_000 });
  }
  await expect(page.getByRole("table", { name: "By county of household registration" }).getByText("Zhaojue County")).toBeVisible();
  // Nothing wider than the phone's screen but the tables, which scroll inside their box.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.getByLabel("Period").selectOption("3");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/months=3/);
  await expect(page.getByRole("table", { name: "Month by month" }).locator("tbody tr")).toHaveCount(3);
  await adminContext.close();

  const schoolContext = await browser.newContext();
  await loginAs(schoolContext, baseURL!, SCHOOL, PASSWORD);
  const school = await schoolContext.newPage();
  await school.goto("/school");
  await school.getByRole("link", { name: "Reports" }).click();
  await expect(school.getByText(`Learners of ${ORG}`)).toBeVisible();
  await expect(school.getByTestId("report-totals").locator('[data-metric="learners"]')).toHaveText("3");
  await expect(school.getByTestId("report-chart-county")).toHaveAttribute("data-ready", "true", { timeout: 15_000 });
  await schoolContext.close();
});
