/**
 * The classroom in real Chromium with fake devices: an expert and three learners in one
 * session. Kept lean for a 2-core machine: learners send the low-quality (one 180p layer)
 * video, the expert sends 360p simulcast.
 */
import { expect, test, type Page } from "@playwright/test";
import { DEMO } from "./helpers";
import { createInstantSession, enterRoom, liveStats, newUserContext, signUpLearner } from "./live-helpers";

test.describe.configure({ timeout: 240_000 });

function row(page: Page, name: string) {
  return page.locator(`[data-testid="participant-row"][data-name="${name}"]`);
}

/** Inbound video streams that actually carry data, from getStats. */
async function flowingVideos(page: Page, minBytes = 20_000) {
  return (await liveStats(page)).inboundVideos.filter((v) => v.bytesReceived > minBytes);
}

test("an expert and three learners: media, chat, hand, moderation, screen share, data saver, reconnect", async ({ browser, baseURL }) => {
  const base = baseURL!;
  const expertContext = await newUserContext(browser, base, DEMO.expert);
  const [ana, bo, cai] = [
    await signUpLearner(browser, base, "Ana"),
    await signUpLearner(browser, base, "Bo"),
    await signUpLearner(browser, base, "Cai"),
  ];
  const expert = await expertContext.newPage();
  const sessionId = await createInstantSession(expert, `Classroom ${Date.now()}`, [ana.email, bo.email, cai.email]);
  await enterRoom(expert);

  // An uninvited user is refused by the page (the socket refuses too: see the Vitest suite).
  const strangerContext = await newUserContext(browser, base, DEMO.learner);
  const stranger = await strangerContext.newPage();
  const refused = await stranger.goto(`/live/${sessionId}`);
  expect(refused?.status()).toBe(403);
  await expect(stranger.getByTestId("live-refused")).toHaveAttribute("data-reason", "not_invited");
  await strangerContext.close();

  // Ana joins and writes in the chat before the others arrive.
  const anaPage = await ana.context.newPage();
  await anaPage.goto(`/live/${sessionId}`);
  await enterRoom(anaPage, { lowVideo: true });
  await anaPage.getByTestId("tab-chat").click();
  await anaPage.getByTestId("chat-input").fill("Hello from Ana: which filler rod?");
  await anaPage.getByTestId("chat-send").click();
  await expect(anaPage.getByTestId("chat-message")).toHaveCount(1);

  // Bo joins late and sees the history; Cai joins with the data saver (spotlight only, low layer).
  const boPage = await bo.context.newPage();
  await boPage.goto(`/live/${sessionId}`);
  await enterRoom(boPage, { lowVideo: true });
  await boPage.getByTestId("tab-chat").click();
  await expect(boPage.getByTestId("chat-message").first()).toContainText("which filler rod?");
  await boPage.getByTestId("tab-people").click();
  const caiPage = await cai.context.newPage();
  await caiPage.goto(`/live/${sessionId}`);
  await enterRoom(caiPage, { lowVideo: true, dataSaver: "low" });

  // Everyone (but the data saver) receives the three others' video and audio.
  for (const page of [expert, anaPage, boPage]) {
    await expect(page.getByTestId("remote-video")).toHaveCount(3, { timeout: 30_000 });
    await expect.poll(async () => (await flowingVideos(page)).length, { timeout: 30_000, intervals: [1000] }).toBe(3);
    await expect.poll(async () => (await liveStats(page)).inboundAudioBytes, { timeout: 15_000 }).toBeGreaterThan(2_000);
  }
  // The chat reached the expert too.
  await expert.getByTestId("tab-chat").click();
  await expect(expert.getByTestId("chat-message")).toHaveCount(1);
  await expert.getByTestId("tab-people").click();

  // The data-saver learner gets only the spotlight (the expert's camera), at the lowest layer.
  await expect(caiPage.getByTestId("remote-video")).toHaveCount(1, { timeout: 20_000 });
  await expect.poll(async () => (await flowingVideos(caiPage, 10_000)).length, { timeout: 20_000, intervals: [1000] }).toBe(1);
  const caiVideos = await flowingVideos(caiPage, 10_000);
  expect(caiVideos[0]!.source).toBe("camera");
  await expect.poll(async () => (await flowingVideos(caiPage, 10_000))[0]?.frameHeight ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
  // (Camera layers are 180/360/720 lines of the expert's 720p capture.)
  expect((await flowingVideos(caiPage, 10_000))[0]!.frameHeight).toBeLessThanOrEqual(180);
  // ...while a full-view learner gets the expert's camera at a higher layer on the stage.
  await expect
    .poll(async () => (await flowingVideos(anaPage)).find((v) => v.frameHeight > 180)?.frameHeight ?? 0, { timeout: 30_000, intervals: [1000] })
    .toBeGreaterThanOrEqual(360);

  // Raise hand: the expert sees it.
  await boPage.getByTestId("hand-toggle").click();
  await expect(row(expert, "Bo")).toHaveAttribute("data-hand", "raised");

  // The host mutes Ana: her microphone is off on her side and everyone's.
  await expect(row(expert, "Ana")).toHaveAttribute("data-mic", "on");
  await row(expert, "Ana").getByTestId("host-mute").click();
  await expect(anaPage.getByTestId("mic-toggle")).toHaveAttribute("data-on", "false");
  await expect(anaPage.getByTestId("live-notice")).toBeVisible();
  await expect(row(boPage, "Ana")).toHaveAttribute("data-mic", "off");

  // Screen share reaches the learners (on the stage).
  await expert.getByTestId("screen-toggle").click();
  for (const page of [anaPage, boPage, caiPage]) {
    await expect(page.locator('[data-testid="remote-video"][data-source="screen"]')).toHaveCount(1, { timeout: 20_000 });
  }
  await expect
    .poll(async () => (await flowingVideos(anaPage)).filter((v) => v.source === "screen").length, { timeout: 20_000, intervals: [1000] })
    .toBe(1);
  await expect
    .poll(async () => (await flowingVideos(anaPage)).find((v) => v.source === "screen")?.frameWidth ?? 0, { timeout: 20_000 })
    .toBeGreaterThanOrEqual(640);
  await boPage.screenshot({ path: "test-results/artifacts/live-classroom-screen.png" });
  await expert.getByTestId("screen-toggle").click();
  await expect(anaPage.locator('[data-testid="remote-video"][data-source="screen"]')).toHaveCount(0, { timeout: 15_000 });

  // Bo's connection drops: the others see "reconnecting"; once the network is back, Bo
  // reconnects by himself (no reload) within 5 s and receives media again.
  // Drop first, then go offline: engine.io's close() waits for its write buffer to drain,
  // which never happens once the browser is offline.
  type Transports = { __liveTest: { transports(): { id: string }[] } };
  const transportIds = async () => (await boPage.evaluate(() => (window as unknown as Transports).__liveTest.transports())).map((t) => t.id).sort();
  const transportsBefore = await transportIds();
  await boPage.evaluate(() => (window as unknown as { __liveTest: { dropSocket(): void } }).__liveTest.dropSocket());
  await bo.context.setOffline(true);
  await expect(row(expert, "Bo")).toHaveAttribute("data-status", "reconnecting", { timeout: 10_000 });
  await expect(boPage.getByTestId("live-status")).toHaveAttribute("data-status", "reconnecting");
  await boPage.waitForTimeout(2_000);
  await bo.context.setOffline(false);
  await boPage.evaluate(() => (window as unknown as { __liveTest: { restoreNetwork(): void } }).__liveTest.restoreNetwork());
  const back = Date.now();
  await expect(boPage.getByTestId("live-status")).toHaveAttribute("data-status", "connected", { timeout: 5_000 });
  await expect.poll(async () => (await flowingVideos(boPage)).length, { timeout: 15_000, intervals: [500] }).toBeGreaterThanOrEqual(2);
  test.info().annotations.push({ type: "reconnect", description: `media flowing again ${Date.now() - back} ms after the network returned` });
  await expect(row(expert, "Bo")).toHaveAttribute("data-status", "connected");
  await expect(row(expert, "Bo")).toHaveAttribute("data-hand", "raised"); // same peer, same hand
  // Only the signalling dropped: the media transports were kept, not recreated.
  expect(await transportIds()).toEqual(transportsBefore);
  expect(transportsBefore).toHaveLength(2);

  // The host removes Ana: she is out and can't come back.
  await row(expert, "Ana").getByTestId("host-remove").click();
  await row(expert, "Ana").getByTestId("host-remove-confirm").click();
  await expect(anaPage.getByTestId("live-removed")).toBeVisible({ timeout: 10_000 });
  await expect(row(expert, "Ana")).toHaveCount(0);
  const again = await anaPage.goto(`/live/${sessionId}`);
  expect(again?.status()).toBe(403);
  await expect(anaPage.getByTestId("live-refused")).toHaveAttribute("data-reason", "removed");

  await expert.screenshot({ path: "test-results/artifacts/live-classroom-expert.png" });

  // End for all: everyone sees the end; the session page shows the attendance.
  await expert.getByTestId("host-end").click();
  await expert.getByTestId("host-end-confirm").click();
  await expect(boPage.getByTestId("live-ended")).toBeVisible({ timeout: 10_000 });
  await expect(caiPage.getByTestId("live-ended")).toBeVisible({ timeout: 10_000 });
  await expert.goto(`/sessions/${sessionId}`);
  await expect(expert.getByTestId("session-status")).toHaveText("Ended");
  // Expert, Ana (removed), Bo (one record across the reconnect), Cai.
  await expect(expert.getByTestId("attendance-row")).toHaveCount(4);

  for (const c of [expertContext, ana.context, bo.context, cai.context]) await c.close();
});
