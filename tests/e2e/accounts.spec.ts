/**
 * Accounts people can keep, on a phone-sized screen: sign-up by mobile number with the SMS
 * code read from the outbox folder, the sessions page (end another device), change password,
 * log-in by SMS code, password reset by SMS code, and e-mail proof on the account page.
 */
import { expect, test } from "@playwright/test";
import { latestCode, loginAs, uniqueEmail, waitForHydration } from "./helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" }, viewport: { width: 390, height: 844 } });

function uniquePhone() {
  return `15${String(Date.now() % 1e9).padStart(9, "0")}`;
}

test("a learner without e-mail signs up by phone, manages sessions and password, logs in by code and resets the password", async ({ page, browser, baseURL }) => {
  const phone = uniquePhone();
  const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;

  await page.goto("/signup");
  await page.getByLabel("Full name").fill("Li Na");
  await page.getByLabel("E-mail or phone number").fill(phone);
  await page.getByLabel("Password").fill("rural-learner-1");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Enter your code" })).toBeVisible();
  await expect(page.getByTestId("code-sent")).toContainText(masked);

  // A wrong code says so and keeps the page.
  const code = await latestCode("sms", phone);
  const wrong = code.slice(0, 5) + String((Number(code[5]) + 1) % 10);
  await page.getByLabel("6-digit code").fill(wrong);
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("alert")).toHaveText("That code is not right. Check it and try again.");
  // By keyboard: the code field, then Enter.
  await page.getByLabel("6-digit code").fill(code);
  await page.getByLabel("6-digit code").press("Enter");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("dashboard-title")).toHaveText("Welcome, Li Na");
  await expect(page.getByTestId("verify-banner")).toHaveCount(0);

  // The account page: number verified; a second device appears in the sessions list.
  const other = await browser.newContext({ locale: "en-US" });
  await loginAs(other, baseURL!, phone, "rural-learner-1");
  await page.goto("/account");
  await waitForHydration(page);
  await expect(page.getByTestId("phone-status")).toHaveText("verified");
  await expect(page.getByTestId("session-row")).toHaveCount(2);
  const current = page.locator('[data-testid="session-row"][data-current="true"]');
  await expect(current).toContainText("This session");
  await page.locator('[data-testid="session-row"]:not([data-current])').getByRole("button", { name: "End" }).click();
  await expect(page.getByRole("status")).toHaveText("The session has ended.");
  await expect(page.getByTestId("session-row")).toHaveCount(1);
  const otherPage = await other.newPage();
  await otherPage.goto(`${baseURL}/dashboard`);
  await expect(otherPage).toHaveURL(/\/login\?redirectTo=/);
  await other.close();

  // Change password: the current one is needed.
  await page.getByLabel("Current password").fill("not-the-password");
  await page.getByLabel("New password").fill("rural-learner-2");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("The current password is not right.")).toBeVisible();
  await page.getByLabel("Current password").fill("rural-learner-1");
  await page.getByLabel("New password").fill("rural-learner-2");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed. Your other sessions have ended.")).toBeVisible();

  // Log out; log in again with an SMS code.
  await page.getByRole("button", { name: "Log out" }).click();
  await page.goto("/login");
  await page.getByRole("link", { name: "Log in with a code instead" }).click();
  await expect(page.getByRole("heading", { name: "Log in with a code" })).toBeVisible();
  await page.getByLabel("E-mail or phone number").fill(phone);
  await page.getByRole("button", { name: "Send me a code" }).click();
  await expect(page.getByTestId("code-sent")).toContainText(masked);
  await page.getByLabel("6-digit code").fill(await latestCode("sms", phone));
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // Forgot the password: reset by SMS code; every old session ends, this browser is logged in.
  const stale = await browser.newContext({ locale: "en-US" });
  await loginAs(stale, baseURL!, phone, "rural-learner-2");
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await page.getByLabel("E-mail or phone number").fill(phone);
  await page.getByRole("button", { name: "Send me a code" }).click();
  await page.getByLabel("6-digit code").fill(await latestCode("sms", phone));
  await page.getByLabel("New password").fill("rural-learner-3");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page).toHaveURL(/\/account\?reset=1/);
  await expect(page.getByRole("status").first()).toHaveText("Your password has been changed and every other session has ended.");
  const stalePage = await stale.newPage();
  await stalePage.goto(`${baseURL}/dashboard`);
  await expect(stalePage).toHaveURL(/\/login\?redirectTo=/);
  await stale.close();
  const fresh = await browser.newContext({ locale: "en-US" });
  await loginAs(fresh, baseURL!, phone, "rural-learner-3");
  await fresh.close();
});

test("an e-mail address is proven by the code sent to it", async ({ page }) => {
  const email = uniqueEmail("proof");
  await page.goto("/signup");
  await page.getByLabel("Full name").fill("Chen Jie");
  await page.getByLabel("E-mail or phone number").fill(email);
  await page.getByLabel("Password").fill("chen-jie-password");
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByLabel("6-digit code").fill(await latestCode("mail", email));
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/account");
  await expect(page.getByTestId("email-status")).toHaveText("verified");
});
