/**
 * The live whiteboard in real Chromium: the expert opens the board, draws a stroke with the
 * mouse and adds a text by keyboard; a data-saver (audio-only) learner sees both (op count
 * and ink on the canvas); the learner can't draw until the expert allows it, then draws and
 * undoes with Ctrl+Z; the expert turns the page and back and lays the board over the stage;
 * the session page offers the PDF, which downloads. On a phone (touch),
 * an allowed learner draws with a finger (touch-action none only while allowed). Audio only
 * on both sides to keep the 2-core machine free.
 */
import { expect, test, type Page } from "@playwright/test";
import { DEMO, signUpByEmail, uniqueEmail } from "./helpers";
import { createInstantSession, enterRoom, newUserContext } from "./live-helpers";

test.describe.configure({ timeout: 180_000 });

/** Drags the mouse across the board from (x1, y1) to (x2, y2), fractions of the canvas. */
async function drag(page: Page, from: [number, number], to: [number, number]) {
  const box = (await page.getByTestId("board-canvas").boundingBox())!;
  await page.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) {
    const f = i / 12;
    await page.mouse.move(box.x + box.width * (from[0] + (to[0] - from[0]) * f), box.y + box.height * (from[1] + (to[1] - from[1]) * f + Math.sin(f * 6) * 0.03));
  }
  await page.mouse.up();
}

/** Pixels of the board canvas that carry ink. */
function inkedPixels(page: Page) {
  return page.getByTestId("board-canvas").evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  });
}

test("the host draws and writes, a learner sees it, may draw only when allowed; the board downloads as PDF", async ({ browser, baseURL }) => {
  const base = baseURL!;
  const expertContext = await newUserContext(browser, base, DEMO.expert);
  const email = uniqueEmail("boarder");
  const learnerContext = await browser.newContext({ locale: "en-US" });
  await signUpByEmail(learnerContext, base, "Board Learner", email, "learner-password-1");

  const expert = await expertContext.newPage();
  const sessionId = await createInstantSession(expert, `Whiteboard ${Date.now()}`, [email]);
  await enterRoom(expert, { audioOnly: true });
  const learner = await learnerContext.newPage();
  await learner.goto(`/live/${sessionId}`);
  await enterRoom(learner, { audioOnly: true, dataSaver: "audio" });

  // The expert opens the board: a blank page for everyone.
  await expect(expert.getByTestId("board-toggle")).toHaveAttribute("aria-pressed", "false");
  await expert.getByTestId("board-toggle").click();
  await expect(expert.getByTestId("board-toggle")).toHaveAttribute("aria-pressed", "true");
  await expect(learner.getByTestId("board-surface")).toHaveAttribute("data-blank", "true");
  await expect(learner.getByTestId("board-view-only")).toBeVisible();
  await expect(learner.getByTestId("board-tool-pen")).toHaveCount(0);

  // A pen stroke (the pen is the default tool) …
  await expect(expert.getByTestId("board-tool-pen")).toHaveAttribute("aria-pressed", "true");
  await drag(expert, [0.1, 0.2], [0.6, 0.5]);
  await expect(expert.getByTestId("board-surface")).toHaveAttribute("data-ops", "1");
  await expect(learner.getByTestId("board-surface")).toHaveAttribute("data-ops", "1");
  // … and a text, by keyboard only: T picks the text tool and focuses the field, Enter adds it.
  await expert.locator("body").click({ position: { x: 5, y: 5 } });
  await expert.keyboard.press("t");
  await expect(expert.getByTestId("board-tool-text")).toHaveAttribute("aria-pressed", "true");
  await expect(expert.getByTestId("board-text-input")).toBeFocused();
  await expert.keyboard.type("Weld root 根部");
  await expert.keyboard.press("Enter");
  await expect(learner.getByTestId("board-surface")).toHaveAttribute("data-ops", "2");
  expect(await inkedPixels(learner)).toBeGreaterThan(200);

  // The learner can't draw: dragging and shortcuts do nothing.
  await drag(learner, [0.2, 0.7], [0.8, 0.9]);
  await learner.keyboard.press("Control+z");
  await expect(expert.getByTestId("board-surface")).toHaveAttribute("data-ops", "2");

  // Allowed by the expert (participant list), the learner draws; Ctrl+Z takes it back.
  await expert.getByTestId("tab-people").click();
  const row = expert.getByTestId("participant-row").filter({ hasText: "Board Learner" });
  await row.getByTestId("host-allow-draw").click();
  await expect(row.getByTestId("may-draw")).toBeVisible();
  await expect(learner.getByTestId("board-tool-pen")).toBeVisible();
  await learner.keyboard.press("p");
  await drag(learner, [0.2, 0.7], [0.8, 0.9]);
  await expect(expert.getByTestId("board-surface")).toHaveAttribute("data-ops", "3");
  await learner.locator("body").click({ position: { x: 5, y: 5 } });
  await learner.keyboard.press("Control+z");
  await expect(expert.getByTestId("board-surface")).toHaveAttribute("data-ops", "2");
  await expect(learner.getByTestId("board-surface")).toHaveAttribute("data-ops", "2");

  // The expert turns to an empty page and back (the learner fetches each page), then lays
  // the board over the stage.
  await expert.getByTestId("board-next").click();
  await expect(learner.getByTestId("board-surface")).toHaveAttribute("data-page", "1");
  await expect(learner.getByTestId("board-surface")).toHaveAttribute("data-ops", "0");
  await expert.getByTestId("board-prev").click();
  await expect(learner.getByTestId("board-surface")).toHaveAttribute("data-page", "0");
  await expect(learner.getByTestId("board-surface")).toHaveAttribute("data-ops", "2");
  await expert.getByTestId("board-blank").click();
  await expect(learner.getByTestId("board-surface")).toHaveAttribute("data-blank", "false");

  // The session page offers the board as a PDF, to the host and to the learner.
  await learner.goto(`/sessions/${sessionId}`);
  await expect(learner.getByTestId("board-pdf")).toBeVisible();
  const download = learner.waitForEvent("download");
  await learner.getByTestId("board-pdf").click();
  expect((await download).suggestedFilename()).toMatch(/whiteboard\.pdf$/);
  const pdf = await expert.request.get(`/sessions/${sessionId}/board.pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

  await learnerContext.close();
  await expertContext.close();
});

test("on a phone (touch), an allowed learner draws with a finger; the board is under the stage", async ({ browser, baseURL }) => {
  const base = baseURL!;
  const expertContext = await newUserContext(browser, base, DEMO.expert);
  const email = uniqueEmail("thumb");
  const phone = await browser.newContext({ locale: "zh-CN", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await signUpByEmail(phone, base, "Thumb Learner", email, "learner-password-1");
  const expert = await expertContext.newPage();
  const sessionId = await createInstantSession(expert, `Whiteboard phone ${Date.now()}`, [email]);
  await enterRoom(expert, { audioOnly: true });
  const learner = await phone.newPage();
  await learner.goto(`/live/${sessionId}`);
  await enterRoom(learner, { audioOnly: true });

  await expert.getByTestId("board-toggle").click();
  await expect(learner.getByTestId("board-canvas")).toHaveCSS("touch-action", "auto"); // a viewer can scroll
  await expert.getByTestId("tab-people").click();
  await expert.getByTestId("participant-row").filter({ hasText: "Thumb Learner" }).getByTestId("host-allow-draw").click();
  await expect(learner.getByTestId("board-tool-pen")).toBeVisible();
  await expect(learner.getByTestId("board-canvas")).toHaveCSS("touch-action", "none");
  // The surface fits the phone's stage (16:9, inside the viewport).
  const surface = (await learner.getByTestId("board-surface").boundingBox())!;
  expect(surface.width).toBeLessThanOrEqual(390);
  expect(Math.abs(surface.width / surface.height - 16 / 9)).toBeLessThan(0.05);
  // A finger tap with the pen is a dot.
  await learner.touchscreen.tap(surface.x + surface.width / 2, surface.y + surface.height / 2);
  await expect(expert.getByTestId("board-surface")).toHaveAttribute("data-ops", "1");

  await phone.close();
  await expertContext.close();
});
