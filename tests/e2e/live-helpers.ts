// Helpers of the live-room browser tests.
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { DEMO, loginAs, signUpByEmail, uniqueEmail } from "./helpers";

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

export async function newUserContext(browser: Browser, baseURL: string, email: string, locale = "en-US", phone = false) {
  const context: BrowserContext = await browser.newContext({
    locale,
    ...(phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : {}),
  });
  await loginAs(context, baseURL, email);
  return context;
}

/** The demo expert starts an instant session and enters; the demo learner joins (low video); both see each other. */
export async function expertAndLearnerInRoom(browser: Browser, baseURL: string, title: string) {
  const expertContext = await newUserContext(browser, baseURL, DEMO.expert);
  const learnerContext = await newUserContext(browser, baseURL, DEMO.learner);
  const expert = await expertContext.newPage();
  const sessionId = await createInstantSession(expert, `${title} ${Date.now()}`, [DEMO.learner]);
  await enterRoom(expert);
  const learner = await learnerContext.newPage();
  await learner.goto(`/live/${sessionId}`);
  await enterRoom(learner, { lowVideo: true });
  await expect(expert.getByTestId("remote-video")).toHaveCount(1, { timeout: 20_000 });
  return { expertContext, learnerContext, expert, learner, sessionId };
}

/** A new learner signed up by e-mail in a fresh English context. */
export async function signUpLearner(browser: Browser, baseURL: string, name: string) {
  const email = uniqueEmail(name.toLowerCase());
  const context = await browser.newContext({ locale: "en-US" });
  await signUpByEmail(context, baseURL, name, email, "learner-password-1");
  return { context, email, name };
}
