/**
 * Session analytics in real Chromium: the host and a learner join audio-only with Chromium's
 * fake microphone (a beep every second), the learner raises a hand; after they leave, the
 * host's session page shows talk time > 0 for the host (measured by the SFU's audio-level
 * observer from real audio), the learner's hand, and the quality chart; the learner's page
 * does not show the section. Also on a phone-sized screen.
 */
import { expect, test } from "@playwright/test";
import { DEMO, signUpByEmail, uniqueEmail } from "./helpers";
import { createInstantSession, enterRoom, newUserContext } from "./live-helpers";

test.describe.configure({ timeout: 180_000 });

test("talk time from real audio, hands and quality reach the host's session page", async ({ browser, baseURL }) => {
  const base = baseURL!;
  const expertContext = await newUserContext(browser, base, DEMO.expert, "en-US", true);
  const email = uniqueEmail("talker");
  const learnerContext = await browser.newContext({ locale: "en-US" });
  await signUpByEmail(learnerContext, base, "Quiet Learner", email, "learner-password-1");

  const expert = await expertContext.newPage();
  const sessionId = await createInstantSession(expert, `Analytics ${Date.now()}`, [email]);
  await enterRoom(expert, { audioOnly: true });
  const learner = await learnerContext.newPage();
  await learner.goto(`/live/${sessionId}`);
  await enterRoom(learner, { audioOnly: true });
  await learner.getByTestId("hand-toggle").click();
  // The observer hears the host's beeps: the learner sees someone speaking.
  await expect(learner.locator('[data-speaking="true"]').first()).toBeAttached({ timeout: 20_000 });
  await expert.waitForTimeout(5_000);
  await learner.getByTestId("live-leave").click();
  await expert.getByTestId("live-leave").click();

  await expert.goto(`/sessions/${sessionId}`);
  const rows = expert.getByTestId("analytics-row");
  const learnerRow = rows.filter({ hasText: "Quiet Learner" });
  const hostRow = rows.filter({ hasNotText: "Quiet Learner" });
  await expect(async () => {
    await expert.reload();
    expect(Number(await hostRow.getAttribute("data-talk-ms"))).toBeGreaterThan(0);
    expect(await learnerRow.getAttribute("data-hands")).toBe("1");
  }).toPass({ timeout: 40_000 });
  const talkMs = Number(await hostRow.getAttribute("data-talk-ms"));
  console.log(`host talk time measured by the SFU: ${talkMs} ms`);
  await expect(expert.getByTestId("analytics-chart")).toHaveAttribute("data-ready", "true");
  // Phone: the table scrolls inside its box, the page itself does not scroll sideways.
  const overflow = await expert.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);

  await learner.goto(`/sessions/${sessionId}`);
  await expect(learner.getByTestId("session-page")).toBeVisible();
  await expect(learner.getByTestId("session-analytics")).toHaveCount(0);

  await learnerContext.close();
  await expertContext.close();
});
