import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { DEMO, loginAs } from "./helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });

function makeVideo() {
  const file = path.join(os.tmpdir(), `e2e-lesson-${process.pid}.webm`);
  const r = spawnSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15:duration=4", "-c:v", "libvpx", "-b:v", "200k", file]);
  expect(r.status).toBe(0);
  return file;
}

test("an expert publishes a course; a learner finds it, enrols, completes a lesson and sees progress", async ({ browser, baseURL }) => {
  const title = `Pipe welding ${Date.now()}`;
  const expertContext = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  await loginAs(expertContext, baseURL!, DEMO.expert);
  const expert = await expertContext.newPage();

  // Create the course.
  await expert.goto("/teach");
  await expert.getByLabel("Title").fill(title);
  await expert.getByLabel("Summary").fill("Root pass, fill and cap on 60 mm pipe. 管道焊接。");
  await expert.getByLabel("Skill").selectOption({ label: "Welding" });
  await expert.getByLabel("Level").selectOption("intermediate");
  await expert.getByLabel("Language").selectOption("en");
  await expert.getByRole("button", { name: "Create course" }).click();
  await expect(expert.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(expert.getByTestId("course-status")).toHaveText(/Draft/);

  // A text lesson with Markdown (and an injection attempt that must not run).
  await expert.getByLabel("Lesson title").first().fill("Reading the weld symbol");
  await expert.getByLabel("Kind").first().selectOption("text");
  await expert.getByRole("button", { name: "Add lesson" }).first().click();
  // The author stays on the outline; the new lesson is listed there.
  await expect(expert.getByText("Lesson added to the outline.")).toBeVisible();
  await expert.getByTestId("lesson-edit-link").filter({ hasText: "Reading the weld symbol" }).click();
  await expect(expert.getByRole("heading", { name: "Edit lesson" })).toBeVisible();
  await expert.getByLabel("Content (Markdown)").fill("## The arrow side\n\nThe **arrow** points at the joint.\n\n<script>window.__pwned = true</script>");
  await expert.getByRole("button", { name: "Save lesson" }).click();
  await expect(expert.getByText("Saved.")).toBeVisible();

  // A video lesson with an uploaded file and a progress bar.
  await expert.getByRole("link", { name: "Back to the course" }).click();
  await expect(expert.getByRole("heading", { name: "Modules and lessons" })).toBeVisible();
  await expert.getByLabel("Lesson title").first().fill("Watch the root pass");
  await expert.getByLabel("Kind").first().selectOption("video");
  await expert.getByRole("button", { name: "Add lesson" }).first().click();
  await expert.getByTestId("lesson-edit-link").filter({ hasText: "Watch the root pass" }).click();
  await expert.getByLabel(/Video file/).setInputFiles(makeVideo());
  await expert.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(expert.getByText("File uploaded.")).toBeVisible({ timeout: 20_000 });
  await expect(expert.getByTestId("current-file")).toContainText(".webm");

  // Publish.
  await expert.getByRole("link", { name: "Back to the course" }).click();
  await expect(expert.getByRole("heading", { name: "Modules and lessons" })).toBeVisible();
  await expert.getByRole("button", { name: "Publish" }).click();
  await expect(expert.getByTestId("course-status")).toHaveText(/Published/);
  await expertContext.close();

  // The learner searches the catalogue (logged out first: it is public).
  const learnerContext = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const learner = await learnerContext.newPage();
  await learner.goto("/courses");
  await learner.getByLabel("Search courses").fill("pipe welding");
  await learner.getByRole("button", { name: "Search" }).click();
  await expect(learner.getByTestId("catalogue-count")).toHaveText("1 course");
  await learner.screenshot({ path: "test-results/artifacts/catalogue.png", fullPage: true });
  await learner.getByRole("link", { name: title }).click();
  await expect(learner.getByRole("link", { name: "Log in to enrol" })).toBeVisible();

  await loginAs(learnerContext, baseURL!, DEMO.learner);
  await learner.reload();
  await learner.screenshot({ path: "test-results/artifacts/course-page.png", fullPage: true });
  await learner.getByRole("button", { name: /Enrol/ }).click();
  await expect(learner.getByRole("heading", { level: 1, name: "Reading the weld symbol" })).toBeVisible();
  await expect(learner.locator(".prose h2")).toHaveText("The arrow side");
  await expect(learner.locator(".prose")).toContainText("<script>window.__pwned = true</script>"); // shown as text
  expect(await learner.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();

  await learner.getByRole("button", { name: "I have read this lesson" }).click();
  await expect(learner.getByTestId("lesson-done")).toBeVisible();

  // The video lesson plays with range requests.
  await learner.getByTestId("next-lesson").click();
  const video = learner.getByTestId("lesson-video");
  await expect(video).toBeVisible();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 10_000 }).toBeGreaterThan(0);
  const src = await video.getAttribute("src");
  const ranged = await learner.request.get(src!, { headers: { Range: "bytes=0-99" } });
  expect(ranged.status()).toBe(206);
  expect(ranged.headers()["content-range"]).toMatch(/^bytes 0-99\/\d+$/);

  await learner.getByRole("link", { name: "Back to the course" }).click();
  await expect(learner.getByTestId("course-progress")).toHaveText("1 of 2 lessons done");
  await expect(learner.getByRole("link", { name: "Continue where you left off" })).toBeVisible();
  await learner.goto("/dashboard");
  await expect(learner.getByTestId("my-courses")).toContainText(title);
  await expect(learner.getByTestId("my-courses")).toContainText("1 of 2 lessons done");
  await learnerContext.close();
});

test("lesson pages and files are closed to visitors who are not enrolled", async ({ page, request }) => {
  await page.goto("/courses");
  await page.getByTestId("course-link").first().click();
  const lessonLinks = await page.locator('a[href*="/lessons/"]').count();
  expect(lessonLinks).toBe(0); // the outline is public, the lessons are not
  const res = await request.get("/media/does-not-exist");
  expect([401, 403, 404]).toContain(res.status());
});
