import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { DEMO } from "./helpers";
import { createInstantSession, enterRoom, liveStats, newUserContext } from "./live-helpers";

test("an expert and an invited learner meet in a session's room and see and hear each other", async ({ browser, baseURL }) => {
  const expertContext = await newUserContext(browser, baseURL!, DEMO.expert);
  // The learner is on a phone.
  const learnerContext = await newUserContext(browser, baseURL!, DEMO.learner, "zh-CN", true);
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
  await learner.screenshot({ path: "test-results/artifacts/live-room-phone.png", fullPage: true });
  // Active speaker: the fake microphone beeps, the AudioLevelObserver reports it.
  await expect(expert.locator('[data-testid="remote-participant"][data-speaking="true"]')).toHaveCount(1, { timeout: 15_000 });

  // An ICE restart (what the client does after an ICE failure) keeps the media flowing.
  const beforeIce = (await liveStats(learner)).inboundVideoBytes;
  await learner.evaluate(() => (window as unknown as { __liveTest: { failIce(): void } }).__liveTest.failIce());
  await expect.poll(async () => (await liveStats(learner)).inboundVideoBytes, { timeout: 15_000 }).toBeGreaterThan(beforeIce + 50_000);
  await expect(learner.getByTestId("live-status")).toHaveAttribute("data-status", "connected");

  // A media worker dies: both participants rejoin by themselves and media flows again.
  // (/healthz no longer names worker pids: find the test server's workers by their environment.)
  const pids = mediaWorkerPidsOf(new URL(learner.url()).port);
  expect(pids.length).toBeGreaterThan(0);
  for (const pid of pids) process.kill(pid, "SIGKILL");
  for (const page of [expert, learner]) {
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "connected", { timeout: 30_000 });
    await expect(page.getByTestId("remote-video")).toHaveCount(1, { timeout: 30_000 });
    await expect
      .poll(async () => (await liveStats(page)).inboundVideos.reduce((n, v) => n + v.bytesReceived, 0), { timeout: 30_000, intervals: [500] })
      .toBeGreaterThan(20_000);
  }

  // Leaving cleans up: the other side loses the remote video, and attendance was recorded.
  await learner.getByTestId("live-leave").click();
  await expect(expert.getByTestId("remote-video")).toHaveCount(0, { timeout: 15_000 });
  await expert.getByTestId("live-leave").click();
  await expert.goto(`/sessions/${sessionId}`);
  // One record each: the worker death (rejoin within the grace period) didn't split them.
  await expect(expert.getByTestId("attendance-row")).toHaveCount(2);

  await expertContext.close();
  await learnerContext.close();
});

test("a link poor for ~10 s suggests the data saver in the room; one click turns it on and spares the own upload", async ({ browser, baseURL }) => {
  const expertContext = await newUserContext(browser, baseURL!, DEMO.expert, "zh-CN");
  const expert = await expertContext.newPage();
  await createInstantSession(expert, `Weak link ${Date.now()}`, [DEMO.learner]);
  // No download test before joining: only one-byte round trips to /live/probe.
  const probes: string[] = [];
  expert.on("request", (r) => {
    if (r.url().includes("/live/probe")) probes.push(new URL(r.url()).searchParams.get("bytes") ?? "");
  });
  await expert.reload();
  await expect(expert.getByTestId("prejoin-link")).not.toHaveAttribute("data-quality", "measuring", { timeout: 15_000 });
  expect(probes.length).toBeGreaterThan(0);
  expect(probes.every((b) => b === "1")).toBe(true);
  await enterRoom(expert);
  await expect(expert.getByTestId("data-saver-suggestion")).toHaveCount(0);
  // The link "measures" poor from now on (as a shaped network makes it).
  const since = Date.now();
  await expert.evaluate(() => (window as unknown as { __liveTest: { forceQuality(q: string | null): void } }).__liveTest.forceQuality("poor"));
  await expect(expert.getByTestId("data-saver-suggestion")).toBeVisible({ timeout: 20_000 });
  expect(Date.now() - since).toBeGreaterThanOrEqual(9_000);
  await expect(expert.getByTestId("data-saver-suggestion")).toContainText("省流量");
  await expert.getByTestId("data-saver-accept").click();
  await expect(expert.getByTestId("data-saver-select")).toHaveValue("low");
  await expect(expert.getByTestId("data-saver-suggestion")).toHaveCount(0);
  // The own upload is spared: the microphone at 16 kbit/s, only the lowest camera layer.
  type Out = { source: string; rid: string | null; encoding: { maxBitrate?: number; active?: boolean } | null };
  const outbound = () => expert.evaluate("window.__liveTest.outbound()") as Promise<Out[]>;
  await expect.poll(async () => (await outbound()).find((s) => s.source === "mic")?.encoding?.maxBitrate, { timeout: 10_000 }).toBe(16_000);
  await expect
    .poll(async () => (await outbound()).filter((s) => s.source === "camera" && s.encoding?.active !== false).map((s) => s.rid), { timeout: 10_000 })
    .toEqual(["r0"]);
  await expertContext.close();
});

test("the live room needs a logged-in user", async ({ page }) => {
  await page.goto("/live/some-session");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Flive%2Fsome-session/);
});

/** The mediasoup workers of the server on `port` (they inherit its PORT variable). */
function mediaWorkerPidsOf(port: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0")[0]!.endsWith("mediasoup-worker")) continue;
      if (fs.readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(`PORT=${port}`)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
