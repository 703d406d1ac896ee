import { expect, test } from "@playwright/test";
import { DEMO } from "./helpers";
import { createInstantSession, enterRoom, newUserContext } from "./live-helpers";

test("a learner shares the screen only when the host allows it, and a log-out elsewhere ends the room for them", async ({ browser, baseURL }) => {
  const expertContext = await newUserContext(browser, baseURL!, DEMO.expert);
  const learnerContext = await newUserContext(browser, baseURL!, DEMO.learner);
  const expert = await expertContext.newPage();
  const learner = await learnerContext.newPage();

  const sessionId = await createInstantSession(expert, `Trust ${Date.now()}`, [DEMO.learner]);
  await enterRoom(expert);
  await learner.goto(`/live/${sessionId}`);
  await enterRoom(learner);
  await expect(expert.getByTestId("remote-video")).toHaveCount(1, { timeout: 20_000 });

  // No screen sharing for learners until the host allows it.
  await expect(learner.getByTestId("screen-toggle")).toHaveCount(0);
  await expect(expert.getByTestId("screen-toggle")).toHaveCount(1);
  await expert.getByTestId("host-allow-screen-share").click();
  await expect(expert.getByTestId("host-allow-screen-share")).toHaveAttribute("aria-pressed", "true");
  await expect(learner.getByTestId("screen-toggle")).toHaveCount(1);
  await expert.getByTestId("host-allow-screen-share").click();
  await expect(learner.getByTestId("screen-toggle")).toHaveCount(0);

  // The learner logs out in another tab: the room tab says so at once and stops.
  const other = await learnerContext.newPage();
  await other.goto("/");
  const res = await other.request.post("/logout", { headers: { origin: baseURL! }, maxRedirects: 0 });
  expect(res.status()).toBeGreaterThanOrEqual(300);
  await expect(learner.getByTestId("live-signed_out")).toBeVisible({ timeout: 5_000 });
  await expect(expert.getByTestId("remote-video")).toHaveCount(0, { timeout: 15_000 });
  await expect(expert.getByTestId("live-status")).toHaveAttribute("data-status", "connected");

  await expertContext.close();
  await learnerContext.close();
});
