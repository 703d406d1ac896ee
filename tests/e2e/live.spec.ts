import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { DEMO, loginAs } from "./helpers";

export async function liveStats(page: Page) {
  return page.evaluate(async () => {
    const w = window as unknown as {
      __liveStats?: () => Promise<{
        inboundVideoBytes: number;
        inboundAudioBytes: number;
        outboundVideoBytes: number;
        inboundVideos: { producerId: string | null; source: string | null; bytesReceived: number; frameWidth: number; frameHeight: number }[];
      }>;
    };
    return w.__liveStats ? w.__liveStats() : { inboundVideoBytes: 0, inboundAudioBytes: 0, outboundVideoBytes: 0, inboundVideos: [] };
  });
}

/** The expert starts an instant session from /live inviting `invitees`; returns its id. */
export async function createInstantSession(expert: Page, title: string, invitees: string[]) {
  await expert.goto("/live");
  const form = expert.getByTestId("instant-form");
  await form.getByLabel(/Title|标题/).fill(title);
  await form.locator("textarea[name=invitees]").fill(invitees.join(", "));
  await form.getByRole("button").click();
  await expect(expert).toHaveURL(/\/live\/[a-z0-9]+$/);
  return expert.url().split("/").pop()!;
}

/** Passes the pre-join screen (optionally with choices) and waits until connected. */
export async function enterRoom(page: Page, opts: { lowVideo?: boolean; audioOnly?: boolean; dataSaver?: "off" | "low" | "audio" } = {}) {
  await expect(page.getByTestId("prejoin")).toBeVisible();
  if (opts.audioOnly) await page.getByTestId("prejoin-audio-only").check();
  if (opts.lowVideo) await page.getByTestId("prejoin-low-video").check();
  if (opts.dataSaver) await page.getByTestId("prejoin-data-saver").selectOption(opts.dataSaver);
  await page.getByTestId("prejoin-join").click();
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "connected", { timeout: 20_000 });
}

export async function newUserContext(browser: import("@playwright/test").Browser, baseURL: string, email: string, locale = "en-US") {
  const context: BrowserContext = await browser.newContext({ locale });
  await loginAs(context, baseURL, email);
  return context;
}

test("an expert and an invited learner meet in a session's room and see and hear each other", async ({ browser, baseURL }) => {
  const expertContext = await newUserContext(browser, baseURL!, DEMO.expert);
  const learnerContext = await newUserContext(browser, baseURL!, DEMO.learner, "zh-CN");
  const expert = await expertContext.newPage();
  const learner = await learnerContext.newPage();

  const sessionId = await createInstantSession(expert, `Two-way ${Date.now()}`, [DEMO.learner]);
  await enterRoom(expert);
  // The learner finds it in their list of upcoming sessions.
  await learner.goto("/live");
  await learner.getByTestId("session-item").filter({ hasText: "Two-way" }).getByRole("link", { name: /加入|Join/ }).click();
  await expect(learner).toHaveURL(new RegExp(`/live/${sessionId}$`));
  await enterRoom(learner);

  for (const page of [expert, learner]) {
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

  // Leaving cleans up: the other side loses the remote video, and attendance was recorded.
  await learner.getByTestId("live-leave").click();
  await expect(expert.getByTestId("remote-video")).toHaveCount(0, { timeout: 15_000 });
  await expert.getByTestId("live-leave").click();
  await expert.goto(`/sessions/${sessionId}`);
  await expect(expert.getByTestId("attendance-row")).toHaveCount(2);

  await expertContext.close();
  await learnerContext.close();
});

test("the live room needs a logged-in user", async ({ page }) => {
  await page.goto("/live/some-session");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Flive%2Fsome-session/);
});
