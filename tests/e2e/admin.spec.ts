// Someone applies to become an expert, a platform admin approves the application, and the
// applicant now holds the expert role (the availability page opens for them). Its own
// accounts are made directly in the e2e database, so the test does not depend on the demo seed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { hashPassword } from "../../app/domains/auth/password.server";
import { addHoursEveryDay, e2eDatabaseUrl, loginAs } from "./helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });

const ARTIFACTS = path.resolve("test-results/artifacts");
const run = Date.now().toString(36);
const APPLICANT = `e2e-applicant-${run}@skillrelay.test`;
const ADMIN = `e2e-admin-${run}@skillrelay.test`;
const PASSWORD = "e2e-admin-password";
const NAME = `E2E Applicant ${run}`;
const CENTRE_APPLICANT = `e2e-centre-${run}@skillrelay.test`;
const CENTRE = `E2E Welding Training Centre ${run}`;

let prisma: PrismaClient;

test.beforeAll(async () => {
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDatabaseUrl() }) });
  const passwordHash = await hashPassword(PASSWORD);
  await prisma.user.create({ data: { email: APPLICANT, name: NAME, role: "learner", passwordHash, locale: "en" } });
  await prisma.user.create({ data: { email: CENTRE_APPLICANT, name: `E2E Centre ${run}`, role: "learner", passwordHash, locale: "en" } });
  await prisma.user.create({ data: { email: ADMIN, name: `E2E Admin ${run}`, role: "admin", passwordHash, locale: "en" } });
});
test.afterAll(async () => {
  await prisma?.$disconnect();
});

test("apply as an expert, an admin approves, the applicant becomes an expert", async ({ browser, baseURL }) => {
  const applicantContext = await browser.newContext();
  await loginAs(applicantContext, baseURL!, APPLICANT, PASSWORD);
  const page = await applicantContext.newPage();

  expect((await page.goto("/schedule/availability"))?.status()).toBe(403);
  await page.goto("/experts/apply");
  await page.getByLabel("Competition").first().fill("WorldSkills Competition");
  await page.getByLabel("Year").first().fill("2019");
  await page.getByLabel("Skill").first().fill("Welding");
  await page.getByLabel("Result").first().fill("Gold medal");
  await page.locator("#currentWork").fill("Welding instructor at a technician college");
  // A scan of the wrong type is refused; what was typed stays (decision 029).
  const scanDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-scan-"));
  const bad = path.join(scanDir, "medal.pdf");
  fs.writeFileSync(bad, "this is not a PDF");
  const good = path.join(scanDir, "worldskills-certificate.pdf");
  fs.writeFileSync(good, "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
  await page.locator("#expert-documents").setInputFiles(bad);
  await page.getByRole("button", { name: "Send application" }).click();
  await expect(page.getByText("Scans must be PDF, JPEG, PNG or WebP files")).toBeVisible();
  await expect(page.getByLabel("Competition").first()).toHaveValue("WorldSkills Competition");
  await expect(page.locator("#currentWork")).toHaveValue("Welding instructor at a technician college");
  await page.locator("#expert-documents").setInputFiles(good);
  await page.getByRole("button", { name: "Send application" }).click();
  await expect(page.getByText("Your application was sent")).toBeVisible();
  await expect(page.getByTestId("my-applications")).toContainText("Pending");
  await page.screenshot({ path: path.join(ARTIFACTS, "admin-expert-applied.png"), fullPage: true });

  const adminContext = await browser.newContext();
  await loginAs(adminContext, baseURL!, ADMIN, PASSWORD);
  const admin = await adminContext.newPage();
  await admin.goto("/dashboard");
  await admin.getByRole("link", { name: "Admin", exact: true }).click();
  await expect(admin).toHaveURL(/\/admin$/);
  await admin.getByRole("link", { name: "Expert applications" }).first().click();
  await admin.getByRole("link", { name: NAME }).click();
  await expect(admin.getByTestId("competition-record")).toContainText("WorldSkills Competition");
  const scan = admin.getByTestId("application-documents").getByRole("link", { name: /worldskills-certificate\.pdf/ });
  await expect(scan).toBeVisible();
  const scanUrl = (await scan.getAttribute("href"))!;
  expect((await admin.request.get(scanUrl)).status()).toBe(200);
  // Nobody else reads it: a visitor is refused.
  expect((await (await browser.newContext()).request.get(new URL(scanUrl, baseURL).href)).status()).toBe(401);
  await admin.screenshot({ path: path.join(ARTIFACTS, "admin-expert-review.png"), fullPage: true });
  await admin.getByRole("button", { name: "Approve: make an expert" }).click();
  await expect(admin.getByText("Approved")).toBeVisible();

  // The applicant's next request already carries the new role.
  expect((await page.goto("/schedule/availability"))?.status()).toBe(200);
  await page.goto("/notifications");
  await expect(page.getByText("You are now a verified expert")).toBeVisible();
  const profile = await prisma.expertProfile.findFirstOrThrow({ where: { user: { email: APPLICANT } } });
  expect(profile.verifiedAt).not.toBeNull();

  // The new expert publishes availability and a session type, and appears on /experts with open times.
  await page.goto("/schedule/availability");
  await addHoursEveryDay(page, "00:00", "23:30");
  await page.getByLabel("Title", { exact: true }).fill("Welding 1:1");
  await page.getByLabel("Length", { exact: true }).selectOption("60");
  await page.getByRole("button", { name: "Add session type" }).click();
  await expect(page.getByTestId("session-types")).toContainText("Welding 1:1");
  const visitor = await browser.newPage({ locale: "en-US" });
  await visitor.goto("/experts");
  await visitor.getByRole("link", { name: NAME }).first().click();
  await expect(visitor.getByRole("heading", { name: NAME })).toBeVisible();
  await expect(visitor.getByText("WorldSkills Competition")).toBeVisible();
  await expect(visitor.getByRole("link", { name: "Book a session" }).first()).toBeVisible();
  await expect(visitor.getByText("No open times in the next two weeks.")).toHaveCount(0);
  await visitor.close();

  await applicantContext.close();
  await adminContext.close();
});

test("a training centre applies, an admin verifies it, its applicant can import learners", async ({ browser, baseURL }) => {
  const visitor = await browser.newPage();
  await visitor.goto("/schools/apply");
  await expect(visitor.getByRole("link", { name: "Log in" }).last()).toBeVisible();
  await visitor.close();

  const applicantContext = await browser.newContext();
  await loginAs(applicantContext, baseURL!, CENTRE_APPLICANT, PASSWORD);
  const page = await applicantContext.newPage();
  await page.goto("/schools/apply");
  await page.getByLabel("Full registered name").fill(CENTRE);
  await page.getByLabel("Kind").selectOption("training_centre");
  await page.getByLabel("County").selectOption("513431");
  await page.getByLabel("Address").fill("18 Jianshe Road, Zhaojue");
  await page.getByLabel("Unified social credit code or licence number").fill("52513431MJ0000000X");
  await page.getByLabel("Contact person's name").fill("Jike Shibu");
  await page.getByLabel("Contact mobile phone").fill("139 1234 5678");
  await page.locator("#org-document").setInputFiles({ name: "licence.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") });
  await page.getByRole("button", { name: "Send the application" }).click();
  await expect(page.getByText("Application sent")).toBeVisible();
  await expect(page.getByTestId("my-organisations")).toContainText("Waiting for review");
  await page.screenshot({ path: path.join(ARTIFACTS, "admin-org-applied.png"), fullPage: true });

  const adminContext = await browser.newContext();
  await loginAs(adminContext, baseURL!, ADMIN, PASSWORD);
  const admin = await adminContext.newPage();
  await admin.goto("/admin/organisations");
  const card = admin.getByTestId("org-list").locator("li", { hasText: CENTRE });
  await expect(card).toContainText("139****5678");
  await card.getByRole("link", { name: "Review the application" }).click();
  await expect(admin.getByTestId("org-review")).toContainText("13912345678");
  await expect(admin.getByTestId("org-review")).toContainText("licence.pdf");
  await admin.screenshot({ path: path.join(ARTIFACTS, "admin-org-review.png"), fullPage: true });
  await admin.getByRole("button", { name: "Verify" }).click();
  await expect(admin.getByText("Saved; the organisation's admins were notified.")).toBeVisible();

  // The applicant is a school admin now, and the import page opens without the warning.
  await page.goto("/school/import");
  await expect(page.getByTestId("import-unverified")).toHaveCount(0);
  await page.goto("/notifications");
  await expect(page.getByText(`${CENTRE} is verified`)).toBeVisible();

  await applicantContext.close();
  await adminContext.close();
});

test("an admin imports counties from CSV: a bad file shows its rows, a good one asks before it applies", async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  await loginAs(context, baseURL!, ADMIN, PASSWORD);
  const admin = await context.newPage();
  await admin.goto("/admin");
  await admin.getByRole("link", { name: "Regions" }).first().click();
  await expect(admin).toHaveURL(/\/admin\/regions$/);
  const code = String(990000 + (Date.now() % 9999)).padStart(6, "0");
  const file = (body: string) => ({ name: "counties.csv", mimeType: "text/csv", buffer: Buffer.from(body) });

  await admin.locator("#region-file").setInputFiles(file(`code,name,nameEn,province,poverty\n${code},测试县,Test County,四川省,1\n12345,坏行,,,1\n`));
  await admin.getByRole("button", { name: "Check the file" }).click();
  await expect(admin.getByTestId("region-preview")).toContainText("The code must be 6 digits.");
  await expect(admin.getByTestId("region-preview").getByRole("button")).toHaveCount(0);

  await admin.locator("#region-file").setInputFiles(file(`code,name,nameEn,province,poverty\n${code},测试县,Test County,四川省,1\n`));
  await admin.getByRole("button", { name: "Check the file" }).click();
  await expect(admin.getByTestId("region-preview")).toContainText("1 new, 0 changed, 0 unchanged");
  expect(await prisma.region.count({ where: { code } })).toBe(0);
  await admin.screenshot({ path: path.join(ARTIFACTS, "admin-regions-preview.png"), fullPage: true });
  await admin.getByText("Import 1 row", { exact: true }).click();
  await admin.getByRole("button", { name: "Yes, import" }).click();
  await expect(admin.getByText("Imported: 1 new, 0 changed.")).toBeVisible();
  expect(await prisma.region.findUniqueOrThrow({ where: { code } })).toMatchObject({ name: "测试县", povertyCounty: true });
  await context.close();
});
