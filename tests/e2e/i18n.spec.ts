import { expect, test } from "@playwright/test";

test("the language follows the browser, and the switch changes it and remembers the choice", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ locale: "zh-CN", extraHTTPHeaders: { "Accept-Language": "zh-CN,zh;q=0.9" } });
  const page = await context.newPage();
  await page.goto(`${baseURL}/`);
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("向技能大赛冠军学手艺");
  await expect(page.getByRole("link", { name: "登录" })).toBeVisible();

  await page.getByTestId("lang-en").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Learn a trade from the people who won at it");

  // Remembered across pages and reloads, over the browser's preference.
  await page.goto(`${baseURL}/login`);
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();

  await page.getByTestId("lang-zh-CN").click();
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
  await context.close();
});

test("an English browser gets English by default", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ locale: "en-GB", extraHTTPHeaders: { "Accept-Language": "en-GB,en;q=0.8" } });
  const page = await context.newPage();
  await page.goto(`${baseURL}/`);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("link", { name: "Sign up" }).first()).toBeVisible();
  await page.screenshot({ path: "test-results/artifacts/home-en.png", fullPage: true });
  await context.close();
});
