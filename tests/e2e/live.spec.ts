import { expect, test, type Page } from "@playwright/test";
import { DEMO, loginAs } from "./helpers";

async function liveStats(page: Page) {
  return page.evaluate(async () => {
    const w = window as unknown as { __liveStats?: () => Promise<{ inboundVideoBytes: number; inboundAudioBytes: number }> };
    return w.__liveStats ? w.__liveStats() : { inboundVideoBytes: 0, inboundAudioBytes: 0 };
  });
}

test("two logged-in users in one live room see and hear each other", async ({ browser, baseURL }) => {
  const room = `e2e-${Date.now()}`;
  const expertContext = await browser.newContext({ locale: "en-US" });
  const learnerContext = await browser.newContext({ locale: "zh-CN" });
  await loginAs(expertContext, baseURL!, DEMO.expert);
  await loginAs(learnerContext, baseURL!, DEMO.learner);
  const expert = await expertContext.newPage();
  const learner = await learnerContext.newPage();

  await expert.goto(`/live/${room}`);
  await learner.goto(`/live/${room}`);
  for (const page of [expert, learner]) {
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "connected", { timeout: 20_000 });
    await expect(page.getByTestId("remote-video")).toHaveCount(1, { timeout: 20_000 });
  }

  // Real media both ways: inbound RTP bytes keep growing past 50 KB of video, and audio flows.
  for (const page of [expert, learner]) {
    await expect
      .poll(async () => (await liveStats(page)).inboundVideoBytes, { timeout: 20_000, intervals: [500] })
      .toBeGreaterThan(50_000);
    await expect.poll(async () => (await liveStats(page)).inboundAudioBytes, { timeout: 10_000 }).toBeGreaterThan(1_000);
  }
  // The video element actually renders frames.
  await expect
    .poll(() => learner.getByTestId("remote-video").first().evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 10_000 })
    .toBeGreaterThan(0);
  await learner.screenshot({ path: "test-results/artifacts/live-room.png", fullPage: true });

  // Leaving cleans up: the other side loses the remote video.
  await learner.getByTestId("live-leave").click();
  await expect(expert.getByTestId("remote-video")).toHaveCount(0, { timeout: 15_000 });

  await expertContext.close();
  await learnerContext.close();
});

test("the live room needs a logged-in user", async ({ page }) => {
  await page.goto("/live/some-room");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Flive%2Fsome-room/);
});
