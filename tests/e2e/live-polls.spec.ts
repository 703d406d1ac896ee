/**
 * Polls in the live room, in real Chromium: the expert asks, a learner in data-saver
 * (audio-only) mode answers with the keyboard, the expert sees the live bar, releases, the
 * learner sees the results; the session page lists the poll and serves its CSV. Audio only
 * on both sides to keep the 2-core machine free.
 */
import { expect, test } from "@playwright/test";
import { DEMO, signUpByEmail, uniqueEmail } from "./helpers";
import { createInstantSession, enterRoom, newUserContext } from "./live-helpers";

test.describe.configure({ timeout: 180_000 });

test("the host asks a poll, a data-saver learner answers, results are released and exported", async ({ browser, baseURL }) => {
  const base = baseURL!;
  const expertContext = await newUserContext(browser, base, DEMO.expert);
  const email = uniqueEmail("pollster");
  const learnerContext = await browser.newContext({ locale: "en-US" });
  await signUpByEmail(learnerContext, base, "Pollster", email, "learner-password-1");

  const expert = await expertContext.newPage();
  const sessionId = await createInstantSession(expert, `Polls ${Date.now()}`, [email]);
  await enterRoom(expert, { audioOnly: true });
  const learner = await learnerContext.newPage();
  await learner.goto(`/live/${sessionId}`);
  await enterRoom(learner, { audioOnly: true, dataSaver: "audio" });

  // The expert asks a single-choice poll.
  await expert.getByTestId("tab-polls").click();
  await expert.getByTestId("poll-question-input").fill("Which gas for TIG?");
  await expert.getByTestId("poll-option-input-0").fill("Argon");
  await expert.getByTestId("poll-option-input-1").fill("Oxygen");
  await expert.getByTestId("poll-create").click();
  await expect(expert.getByTestId("poll-question")).toHaveText("Which gas for TIG?");
  await expect(expert.getByTestId("poll-total")).toHaveText("0 answers");

  // The learner is told, opens the tab and answers with the keyboard.
  await learner.getByTestId("poll-open-notice").click();
  await expect(learner.getByTestId("poll-question")).toHaveText("Which gas for TIG?");
  await learner.getByTestId("poll-option-0").focus();
  await learner.keyboard.press("Space");
  // Tab leaves the radio group for the submit button.
  await learner.keyboard.press("Tab");
  await expect(learner.getByTestId("poll-submit")).toBeFocused();
  await learner.keyboard.press("Enter");
  await expect(learner.getByTestId("poll-answered")).toBeVisible();
  await expect(learner.getByTestId("poll-results")).toHaveCount(0);

  // Live results for the expert: one answer, on Argon.
  await expect(expert.getByTestId("poll-total")).toHaveText("1 answer");
  await expect(expert.getByTestId("poll-count-0")).toHaveText("1 (100%)");

  await expert.getByTestId("poll-release").click();
  await expect(learner.getByTestId("poll-count-0")).toHaveText("1 (100%)");
  await expect(learner.getByTestId("poll-count-1")).toHaveText("0 (0%)");

  // The session page lists it; the CSV holds the answer.
  await expert.goto(`/sessions/${sessionId}`);
  await expect(expert.getByTestId("session-poll")).toHaveCount(1);
  await expect(expert.getByTestId("session-poll")).toContainText("Which gas for TIG?");
  const csv = await expert.request.get(`/sessions/${sessionId}/polls.csv`);
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  expect(text).toContain('"Which gas for TIG?"');
  expect(text).toContain('"Pollster","Argon"');
  const refused = await learner.request.get(`/sessions/${sessionId}/polls.csv`);
  expect(refused.status()).toBe(403);

  await learnerContext.close();
  await expertContext.close();
});
