/**
 * Breakout rooms in real Chromium with fake devices: the expert and two learners. The expert
 * opens 2 rooms by hand (both learners in room 1), the learners see their banner and each
 * other's video only; the expert moves one to room 2, visits it, messages every room and
 * calls everyone back — tiles come back without a reload. Learners send the one-layer 180p
 * video to keep the 2-core machine free.
 */
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { DEMO } from "./helpers";
import { createInstantSession, enterRoom, newUserContext, signUpLearner } from "./live-helpers";

test.describe.configure({ timeout: 240_000 });

const ARTIFACTS = path.resolve("test-results/artifacts");

const videos = (page: Page) => page.getByTestId("remote-video");
const tiles = (page: Page) => page.getByTestId("remote-participant");

test("the expert splits two learners into rooms, moves, visits, messages and calls everyone back", async ({ browser, baseURL }) => {
  const base = baseURL!;
  const expertContext = await newUserContext(browser, base, DEMO.expert);
  const ana = await signUpLearner(browser, base, "Ana");
  const bo = await signUpLearner(browser, base, "Bo");
  const expert = await expertContext.newPage();
  await createInstantSession(expert, `Breakouts ${Date.now()}`, [ana.email, bo.email]);
  const sessionUrl = expert.url();
  await enterRoom(expert);
  const anaPage = await ana.context.newPage();
  await anaPage.goto(sessionUrl);
  await enterRoom(anaPage, { lowVideo: true });
  const boPage = await bo.context.newPage();
  await boPage.goto(sessionUrl);
  await enterRoom(boPage, { lowVideo: true });
  for (const page of [expert, anaPage, boPage]) {
    await expect(videos(page)).toHaveCount(2, { timeout: 30_000 });
    // A page that reloads loses this: the moves below must not reload anything.
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  }

  // The expert opens 2 rooms by hand: Ana and Bo both in room 1.
  await expert.getByTestId("tab-rooms").click();
  await expert.getByTestId("breakout-count").selectOption("2");
  await expert.getByTestId("breakout-minutes").fill("15");
  await expert.getByTestId("breakout-mode-manual").check();
  await expert.locator('[data-testid="breakout-assign"][data-name="Ana"]').selectOption("1");
  const boSelect = expert.locator('[data-testid="breakout-assign"][data-name="Bo"]');
  await boSelect.selectOption("1");
  await expect(boSelect).toHaveValue("1");
  await expert.getByTestId("breakout-open").click();

  // Banners with the room and the countdown; Ana and Bo see each other only, the expert nobody.
  await expect(anaPage.getByTestId("breakout-banner")).toHaveAttribute("data-room", "1");
  await expect(anaPage.getByTestId("breakout-banner")).toContainText(/You are in Room 1 · 1[45]:\d\d left/);
  await expect(boPage.getByTestId("breakout-banner")).toHaveAttribute("data-room", "1");
  await expect(expert.getByTestId("breakout-banner")).toHaveAttribute("data-room", "main");
  await expect(tiles(anaPage)).toHaveCount(1);
  await expect(tiles(anaPage).first()).toHaveAttribute("data-name", "Bo");
  await expect(videos(anaPage)).toHaveCount(1, { timeout: 20_000 });
  await expect(videos(boPage)).toHaveCount(1, { timeout: 20_000 });
  await expect(videos(expert)).toHaveCount(0, { timeout: 20_000 });
  await expect(tiles(expert)).toHaveCount(0);
  await expect(expert.locator('[data-testid="breakout-room"][data-room="1"] [data-testid="breakout-member"]')).toHaveCount(2);
  await expert.screenshot({ path: path.join(ARTIFACTS, "breakouts-host.png"), fullPage: true });
  // On a phone's width the banner and the room's tile still fit.
  await boPage.setViewportSize({ width: 390, height: 844 });
  await expect(boPage.getByTestId("breakout-banner")).toBeInViewport();
  await boPage.screenshot({ path: path.join(ARTIFACTS, "breakouts-phone.png"), fullPage: true });

  // Chat stays in room 1.
  await anaPage.getByTestId("tab-chat").click();
  await anaPage.getByTestId("chat-input").fill("Room one: let us start with the joint");
  await anaPage.getByTestId("chat-send").click();
  await boPage.getByTestId("tab-chat").click();
  await expect(boPage.getByTestId("chat-message")).toContainText("Room one: let us start");
  await expert.getByTestId("tab-chat").click();
  await expect(expert.getByTestId("chat-message")).toHaveCount(0);
  await expert.getByTestId("tab-rooms").click();

  // The expert moves Bo to room 2, then visits room 2.
  await expert.locator('[data-testid="breakout-move"][data-name="Bo"]').selectOption("2");
  await expect(boPage.getByTestId("breakout-banner")).toHaveAttribute("data-room", "2");
  await expect(videos(anaPage)).toHaveCount(0, { timeout: 20_000 });
  await expect(videos(boPage)).toHaveCount(0, { timeout: 20_000 });
  await expert.locator('[data-testid="breakout-visit"][data-room="2"]').click();
  await expect(expert.getByTestId("breakout-banner")).toHaveAttribute("data-room", "2");
  await expect(videos(boPage)).toHaveCount(1, { timeout: 20_000 });
  await expect(videos(expert)).toHaveCount(1, { timeout: 20_000 });
  await expect(videos(anaPage)).toHaveCount(0);

  // A message to every room.
  await expert.getByTestId("breakout-broadcast-input").fill("Two minutes left, wrap up");
  await expert.getByTestId("breakout-broadcast-send").click();
  for (const page of [anaPage, boPage]) await expect(page.getByTestId("breakout-message")).toContainText("Two minutes left, wrap up");

  // "Close all rooms" asks first; then everyone is back with every tile, without a reload.
  await expert.getByTestId("breakout-close").click();
  await expect(expert.getByTestId("breakout-banner")).toBeVisible();
  await expert.getByTestId("breakout-close-confirm").click();
  for (const page of [expert, anaPage, boPage]) {
    await expect(page.getByTestId("breakout-banner")).toHaveCount(0);
    await expect(videos(page)).toHaveCount(2, { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  }
  await expect(tiles(anaPage)).toHaveCount(2);

  await ana.context.close();
  await bo.context.close();
  await expertContext.close();
});
