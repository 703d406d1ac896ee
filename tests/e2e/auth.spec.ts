import { expect, test } from "@playwright/test";
import { latestCode, uniqueEmail } from "./helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });

test("a visitor signs up as a learner, logs out and logs in again through the forms", async ({ page }) => {
  const email = uniqueEmail("newlearner");
  await page.goto("/");
  await page.getByRole("link", { name: "Sign up" }).first().click();
  await expect(page.getByRole("heading", { name: "Create your learner account" })).toBeVisible();

  // Bad input: errors per field, what was typed is kept.
  await page.getByLabel("Full name").fill("Zhao Lei");
  await page.getByLabel("E-mail or phone number").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByText("Enter a valid e-mail address or an 11-digit mobile number.")).toBeVisible();
  await expect(page.getByText("The password must have at least 8 characters.")).toBeVisible();
  await expect(page.getByLabel("Full name")).toHaveValue("Zhao Lei");

  await page.getByLabel("E-mail or phone number").fill(email);
  await page.getByLabel("Password").fill("12345678");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByText("This password is one of the most common ones. Choose another.")).toBeVisible();

  // The address is proven by the code sent to it before the account exists.
  await page.getByLabel("Password").fill("a-good-password");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Enter your code" })).toBeVisible();
  await expect(page.getByTestId("code-sent")).toContainText("n***@skillrelay.test");
  await page.getByLabel("6-digit code").fill(await latestCode("mail", email));
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("dashboard-title")).toHaveText("Welcome, Zhao Lei");
  await expect(page.getByText(`Signed in as ${email} · Learner`)).toBeVisible();
  await expect(page.getByTestId("verify-banner")).toHaveCount(0);

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fdashboard/);

  await page.getByLabel("E-mail or phone number").fill(email);
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Wrong e-mail, phone number or password.");
  await expect(page.getByLabel("E-mail or phone number")).toHaveValue(email);

  await page.getByLabel("Password").fill("a-good-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("dashboard-title")).toHaveText("Welcome, Zhao Lei");
});

test("the log-in form works before JavaScript loads", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-US" });
  const page = await context.newPage();
  await page.goto(`${baseURL}/login`);
  await page.getByLabel("E-mail or phone number").fill("expert@skillrelay.test");
  await page.getByLabel("Password").fill("skillrelay-demo");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText("Signed in as expert@skillrelay.test · Expert")).toBeVisible();
  await context.close();
});
