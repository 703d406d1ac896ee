// The marking-scheme editor in Chromium (issue 11, decision 028): an expert builds a small
// scheme by the forms — two sections, a criterion each, one M (bands) and one J aspect — until
// the page says it adds up; a refused J aspect keeps what was typed; a duplicate that breaks the
// sums is deleted again through the confirm button; the page fits a phone. The course is made
// directly in the e2e database.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { hashPassword } from "../../app/domains/auth/password.server";
import { e2eDatabaseUrl, loginAs, waitForHydration } from "./helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });

const run = Date.now().toString(36);
const PASSWORD = "e2e-scheme-editor-password";
const EXPERT = `e2e-scheme-editor-${run}@skillrelay.test`;
let prisma: PrismaClient;
let schemeUrl = "";

test.beforeAll(async () => {
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDatabaseUrl() }) });
  const expert = await prisma.user.create({ data: { email: EXPERT, name: "Scheme Author", role: "expert", passwordHash: await hashPassword(PASSWORD), locale: "en" } });
  const category = await prisma.skillCategory.upsert({ where: { slug: "e2e-scheme" }, create: { slug: "e2e-scheme", nameEn: "Welding (e2e scheme)", nameZh: "焊接（方案测试）", sortOrder: 999 }, update: {} });
  const course = await prisma.course.create({
    data: {
      slug: `e2e-scheme-${run}`,
      title: `Scheme course ${run}`,
      categoryId: category.id,
      authors: { create: { userId: expert.id, role: "owner" } },
      modules: { create: [{ title: "M", position: 0, lessons: { create: [{ title: "Fillet weld", kind: "task", position: 0, body: "Weld it." }] } }] },
    },
    include: { modules: { include: { lessons: true } } },
  });
  schemeUrl = `/teach/courses/${course.id}/lessons/${course.modules[0].lessons[0].id}/scheme`;
});

test.afterAll(async () => {
  await prisma?.$disconnect();
});

/** The <details> form whose summary reads exactly `summary`, inside `scope`, opened. */
async function openForm(page: Page, scope: Locator, summary: string) {
  const details = scope.locator("details").filter({ has: page.locator(`xpath=./summary[normalize-space()="${summary}"]`) }).last();
  await details.locator("summary").click();
  return details;
}

test("an expert builds a scheme by the forms until it adds up", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  await loginAs(context, baseURL!, EXPERT, PASSWORD);
  const page = await context.newPage();
  await page.goto(schemeUrl);
  await waitForHydration(page);
  await page.getByRole("button", { name: "Create a marking scheme" }).click();
  await expect(page.getByText("The marking scheme was created.")).toBeVisible();

  for (const [name, weighting] of [["Dimensions", "40"], ["Visual", "60"]]) {
    const form = await openForm(page, page.locator("main"), "Add a section");
    await form.getByLabel("Section name").fill(name);
    await form.getByLabel("Weighting %").fill(weighting);
    await form.getByRole("button", { name: "Add a section" }).click();
    await expect(page.getByTestId("editor-section").filter({ hasText: name })).toBeVisible();
  }
  const sections = page.getByTestId("editor-section");
  await expect(sections).toHaveCount(2);
  await expect(page.getByText("Section 1 (Dimensions): has no criteria")).toBeVisible();

  for (const [i, code, name] of [[0, "A", "Size"], [1, "B", "Bead"]] as const) {
    const form = await openForm(page, sections.nth(i), "Add a criterion");
    await form.getByLabel("Code (A, B, …)").fill(code);
    await form.getByLabel("Criterion name").fill(name);
    await form.getByRole("button", { name: "Add a criterion" }).click();
    await expect(sections.nth(i).getByTestId("editor-criterion")).toHaveCount(1);
  }

  // M aspect with tolerance bands, by keyboard where it matters.
  let form = await openForm(page, sections.nth(0), "Add an aspect");
  await form.getByLabel("Type").selectOption("measurement");
  await form.getByLabel("Max mark").fill("40");
  await form.getByLabel("Description").fill("Length");
  await form.getByLabel("Rule").selectOption("bands");
  await form.getByLabel("Bands").fill("0.5=1; 1=0.5");
  await form.getByLabel("Bands").press("Enter");
  await expect(sections.nth(0).getByTestId("editor-aspect")).toHaveCount(1);
  // The page says exactly where it is still off.
  await expect(page.getByText(/Section 2 \(Visual\) · criterion B/)).toBeVisible();

  // J aspect: a missing descriptor is refused and what was typed stays.
  form = await openForm(page, sections.nth(1), "Add an aspect");
  await form.getByLabel("Type").selectOption("judgement");
  await form.getByLabel("Max mark").fill("60");
  await form.getByLabel("Description").fill("Uniform bead");
  for (const [n, d] of ["Not acceptable", "Below standard", "Industry standard"].entries()) await form.getByLabel(`Score ${n}`).fill(d);
  await form.getByRole("button", { name: "Add an aspect" }).click();
  await expect(page.getByText("Judgement aspects need all four descriptors.")).toBeVisible();
  await expect(form.getByLabel("Description")).toHaveValue("Uniform bead");
  await form.getByLabel("Score 3").fill("Excellent");
  await form.getByRole("button", { name: "Add an aspect" }).click();
  await expect(page.getByText("The scheme adds up and can be used for marking.")).toBeVisible();

  // A duplicate breaks the sums; delete it through the confirm button and it adds up again.
  await sections.nth(0).getByRole("button", { name: "Duplicate aspect A1" }).click();
  await expect(sections.nth(0).getByTestId("editor-aspect")).toHaveCount(2);
  await expect(page.getByText("The scheme adds up and can be used for marking.")).toHaveCount(0);
  const second = sections.nth(0).getByTestId("editor-aspect").nth(1);
  await second.getByText("Delete", { exact: true }).click();
  await second.getByRole("button", { name: "Yes, delete" }).click();
  await expect(sections.nth(0).getByTestId("editor-aspect")).toHaveCount(1);
  await expect(page.getByText("The scheme adds up and can be used for marking.")).toBeVisible();

  // Reorder: Visual first.
  await sections.nth(1).getByRole("button", { name: "Move section 2 up" }).click();
  await expect(sections.nth(0).locator("h3")).toContainText("1. Visual");

  // Phone: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await context.close();
});
