// The one form pattern (Conform + zod on the server, decision 031), with and without
// JavaScript: a form sent with bad values shows each field's translated error, marks the
// fields aria-invalid, puts the focus on the first invalid field (in the page's order) and
// keeps everything else that was typed. The organisation application is the worked example.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { hashPassword } from "../../app/domains/auth/password.server";
import { e2eDatabaseUrl, loginAs, waitForHydration } from "./helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });

const run = Date.now().toString(36);
const PASSWORD = "e2e-forms-password";
const WITH_JS = `e2e-forms-js-${run}@skillrelay.test`;
const WITHOUT_JS = `e2e-forms-nojs-${run}@skillrelay.test`;
const EXPERT = `e2e-forms-expert-${run}@skillrelay.test`;

let prisma: PrismaClient;
test.beforeAll(async () => {
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: e2eDatabaseUrl() }) });
  const passwordHash = await hashPassword(PASSWORD);
  for (const email of [WITH_JS, WITHOUT_JS]) await prisma.user.create({ data: { email, name: `E2E Forms ${run}`, role: "learner", passwordHash, locale: "en" } });
  await prisma.user.create({ data: { email: EXPERT, name: `E2E Forms Expert ${run}`, role: "expert", passwordHash, locale: "en" } });
});
test.afterAll(async () => {
  await prisma?.$disconnect();
});

async function openApplication(browser: Browser, baseURL: string, email: string, javaScriptEnabled: boolean) {
  const context = await browser.newContext({ javaScriptEnabled, locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });
  await loginAs(context, baseURL, email, PASSWORD);
  const page = await context.newPage();
  await page.goto("/schools/apply");
  if (javaScriptEnabled) await waitForHydration(page);
  return { context, page };
}

/** Good values everywhere except the licence number and the phone (both pass the browser's own checks). */
async function fillWithTwoBadValues(page: Page, name: string) {
  await page.getByLabel("Full registered name").fill(name);
  await page.getByLabel("Kind").selectOption("training_centre");
  await page.getByLabel("County").selectOption("513431");
  await page.getByLabel("Address").fill("18 Jianshe Road, Zhaojue");
  await page.getByLabel("Unified social credit code or licence number").fill("!!!!!!");
  await page.getByLabel("Contact person's name").fill("Jike Shibu");
  await page.getByLabel("Contact mobile phone").fill("12345");
  await page.getByRole("button", { name: "Send the application" }).click();
}

async function expectErrorsShownAndValuesKept(page: Page, name: string) {
  const licence = page.getByLabel("Unified social credit code or licence number");
  const phone = page.getByLabel("Contact mobile phone");
  await expect(page.getByText("Enter the unified social credit code or licence number (6 to 30 letters and digits).")).toBeVisible();
  await expect(page.getByText("Enter a mainland mobile number (11 digits).")).toBeVisible();
  await expect(licence).toHaveAttribute("aria-invalid", "true");
  await expect(phone).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Full registered name")).not.toHaveAttribute("aria-invalid", "true");
  // The error is the field's description, so a screen reader reads it with the field.
  const describedBy = (await licence.getAttribute("aria-describedby")) ?? "";
  await expect(page.locator(`[id="${describedBy.split(" ").find((id) => id.endsWith("-error"))}"]`)).toHaveText(/6 to 30 letters and digits/);
  // The licence number comes first on the page (before the contact), so it has the focus.
  await expect(licence).toBeFocused();
  // Nothing typed is lost.
  await expect(page.getByLabel("Full registered name")).toHaveValue(name);
  await expect(page.getByLabel("Kind")).toHaveValue("training_centre");
  await expect(page.getByLabel("County")).toHaveValue("513431");
  await expect(page.getByLabel("Address")).toHaveValue("18 Jianshe Road, Zhaojue");
  await expect(licence).toHaveValue("!!!!!!");
  await expect(page.getByLabel("Contact person's name")).toHaveValue("Jike Shibu");
  await expect(phone).toHaveValue("12345");
}

test("with JavaScript: bad values are answered at their fields, the first invalid field has the focus, the rest is kept; fixed, it is sent", async ({ browser, baseURL }) => {
  const { context, page } = await openApplication(browser, baseURL!, WITH_JS, true);
  const name = `E2E Forms Centre ${run}`;
  const answer = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/schools/apply"));
  await fillWithTwoBadValues(page, name);
  expect((await answer).status()).toBe(400);
  await expectErrorsShownAndValuesKept(page, name);
  expect(await prisma.organization.count({ where: { name } })).toBe(0);

  await page.getByLabel("Unified social credit code or licence number").fill("52513431MJ0000000X");
  await page.getByLabel("Contact mobile phone").fill("139 1234 5678");
  await page.getByRole("button", { name: "Send the application" }).click();
  await expect(page.getByText("Application sent")).toBeVisible();
  expect(await prisma.organization.count({ where: { name } })).toBe(1);
  await context.close();
});

test("without JavaScript: the same answer from the server's HTML (errors, aria-invalid, autofocus on the first invalid field, values kept)", async ({ browser, baseURL }) => {
  const { context, page } = await openApplication(browser, baseURL!, WITHOUT_JS, false);
  const name = `E2E Forms No-JS Centre ${run}`;
  const answer = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/schools/apply"));
  await fillWithTwoBadValues(page, name);
  expect((await answer).status()).toBe(400);
  await expectErrorsShownAndValuesKept(page, name);
  expect(await prisma.organization.count({ where: { name } })).toBe(0);
  await context.close();
});

// A list of checkboxes (the kit's CheckboxList): its error under the legend, every box
// aria-invalid, the focus on its first box — the same with and without JavaScript.
for (const javaScriptEnabled of [true, false]) {
  test(`a list of checkboxes left empty: the error at the list, the focus on its first box (${javaScriptEnabled ? "with" : "without"} JavaScript)`, async ({ browser, baseURL }) => {
    const context = await browser.newContext({ javaScriptEnabled, locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });
    await loginAs(context, baseURL!, EXPERT, PASSWORD);
    const page = await context.newPage();
    await page.goto("/schedule/availability");
    if (javaScriptEnabled) await waitForHydration(page);
    const hours = page.locator("form#window");
    const answer = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/schedule/availability"));
    await hours.getByRole("button", { name: "Add hours", exact: true }).click();
    expect((await answer).status()).toBe(400);
    await expect(hours.getByText("Tick at least one day.")).toBeVisible();
    const monday = hours.getByRole("checkbox", { name: "Monday" });
    await expect(monday).toHaveAttribute("aria-invalid", "true");
    await expect(monday).toBeFocused();
    // The other forms of the page took no part of this reply.
    await expect(page.locator("form#settings").getByRole("alert")).toHaveCount(0);
    await context.close();
  });
}
