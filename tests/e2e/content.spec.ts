// Issue 10: an admin writes a story with a cover image and schedules it a few seconds ahead;
// at its time it appears on the (anonymous, cached) home page and in the Atom feed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { expect, test } from "@playwright/test";
import { DEMO, loginAs } from "./helpers";

test.use({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US,en;q=0.9" } });

/** A small real PNG (16×16, one colour). */
function makePng() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(16, 0);
  ihdr.writeUInt32BE(16, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const rows = Buffer.concat(Array.from({ length: 16 }, () => Buffer.concat([Buffer.from([0]), Buffer.alloc(48, 0x80)])));
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
  const file = path.join(os.tmpdir(), `e2e-story-${process.pid}.png`);
  fs.writeFileSync(file, png);
  return file;
}

/** A datetime-local value `ms` from now in a zone. */
function localIn(ms: number, timeZone: string) {
  return new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
    .format(new Date(Date.now() + ms))
    .replace(" ", "T");
}

test("an admin schedules a story with an image; it appears on the home page and in the feed at its time", async ({ browser, baseURL }) => {
  const stamp = Date.now();
  const title = `Welder from Congjiang ${stamp}`;
  const adminContext = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  await loginAs(adminContext, baseURL!, DEMO.admin);
  const admin = await adminContext.newPage();

  // The anonymous home page, before: not there (and now stored in the page cache).
  const visitor = await browser.newPage();
  await visitor.goto("/");
  await expect(visitor.getByText(title)).toHaveCount(0);

  await admin.goto("/admin/content/new");
  const hint = await admin.locator("#article-publishAt-hint").textContent();
  const zone = /in (\S+)\./.exec(hint ?? "")?.[1] ?? "Asia/Shanghai";
  await admin.locator('select[name="kind"]').selectOption("story");
  await admin.locator('input[name="slug"]').fill(`welder-${stamp}`);
  await admin.locator('input[name="titleZh"]').fill(`从江焊工 ${stamp}`);
  await admin.locator('input[name="titleEn"]').fill(title);
  await admin.locator('textarea[name="summaryEn"]').fill("He learned welding at the county school and won a national medal.");
  await admin.locator('textarea[name="bodyEn"]').fill("## The road\n\nSix years of practice, **one silver medal**.");
  await admin.locator('input[name="personName"]').fill("Wu Guangming");
  await admin.locator('input[name="skill"]').fill("Welding");
  await admin.locator('input[name="consent"]').check();
  await admin.locator('input[name="consentNote"]').fill("Signed form kept by the school");
  await admin.locator('select[name="status"]').selectOption("scheduled");
  await admin.locator('input[name="publishAt"]').fill(localIn(20_000, zone));
  await admin.getByRole("button", { name: "Create" }).click();
  await expect(admin.getByText("Saved.")).toBeVisible();
  await expect(admin.getByText("Not public yet.")).toBeVisible();

  await admin.locator("#cover-file").setInputFiles(makePng());
  // (The editor has two upload forms: the cover's and the body images'.)
  await admin.locator("#cover-file").locator("xpath=ancestor::form").getByRole("button", { name: "Upload" }).click();
  await expect(admin.getByText("Image uploaded.")).toBeVisible({ timeout: 20_000 });
  await admin.screenshot({ path: "test-results/artifacts/content-editor.png", fullPage: true });

  // Still hidden before its time.
  await visitor.goto("/");
  await expect(visitor.getByText(title)).toHaveCount(0);
  expect((await visitor.request.get(`/stories/welder-${stamp}`)).status()).toBe(404);

  // At its time it appears, with no further write.
  await expect(async () => {
    await visitor.goto("/");
    await expect(visitor.getByText(title)).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000, intervals: [2_000] });
  const card = visitor.getByTestId("article-card").filter({ hasText: title });
  await expect(card.locator("img")).toHaveAttribute("src", /\/media\//);
  const img = await visitor.request.get((await card.locator("img").getAttribute("src"))!);
  expect(img.status()).toBe(200);
  await visitor.screenshot({ path: "test-results/artifacts/content-home.png", fullPage: true });

  const feed = await visitor.request.get("/feed.xml?lang=en");
  expect(feed.status()).toBe(200);
  expect(await feed.text()).toContain(title);

  await card.getByRole("link", { name: title }).click();
  await expect(visitor.getByRole("heading", { name: title })).toBeVisible();
  await expect(visitor.getByText("one silver medal")).toBeVisible();
  await adminContext.close();
});

// Decision 029: an image in the body of a draft policy, previewed, private until published.
test("an admin puts an image in a draft policy's text, previews it, then publishes it", async ({ browser, baseURL }) => {
  const stamp = Date.now();
  const title = `Living allowance for trainees ${stamp}`;
  const adminContext = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  await loginAs(adminContext, baseURL!, DEMO.admin);
  const admin = await adminContext.newPage();
  await admin.goto("/admin/content/new");
  await admin.locator('select[name="kind"]').selectOption("policy");
  await admin.locator('input[name="slug"]').fill(`allowance-${stamp}`);
  await admin.locator('input[name="titleZh"]').fill(`培训生活费补贴 ${stamp}`);
  await admin.locator('input[name="titleEn"]').fill(title);
  await admin.getByRole("button", { name: "Create" }).click();
  await expect(admin.getByText("Saved.")).toBeVisible();

  await admin.locator("#body-image-file").setInputFiles(makePng());
  await admin.locator("#body-image-file").locator("xpath=ancestor::form").getByRole("button", { name: "Upload" }).click();
  await expect(admin.getByText("Image uploaded.")).toBeVisible({ timeout: 20_000 });
  const markdown = (await admin.getByTestId("article-images").locator("code").first().textContent())!;
  expect(markdown).toMatch(/^!\[e2e-story-\d+\]\(\/media\/[A-Za-z0-9_-]+\)$/);
  const src = /\((\/media\/[^)]+)\)/.exec(markdown)![1];
  await admin.locator('textarea[name="bodyEn"]').fill(`Trainees get a daily allowance.\n\n${markdown}`);
  await admin.getByRole("button", { name: "Save" }).click();
  await expect(admin.getByText("Saved.")).toBeVisible();

  // The preview shows the draft as its public page will, image included; a visitor gets neither.
  await admin.getByRole("link", { name: "Preview" }).click();
  await expect(admin.getByTestId("preview-bar")).toContainText("Draft: not public");
  await expect(admin.getByRole("heading", { name: title })).toBeVisible();
  const shown = admin.locator(`article img[src="${src}"]`);
  await expect(shown).toBeVisible();
  expect(await shown.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(16);
  await admin.screenshot({ path: "test-results/artifacts/content-preview.png", fullPage: true });
  const visitor = await browser.newPage();
  expect((await visitor.request.get(src)).status()).toBe(401);
  expect((await visitor.request.get(`/policies/allowance-${stamp}`)).status()).toBe(404);
  expect((await visitor.request.get(admin.url())).url()).toMatch(/\/login/);

  await admin.getByRole("link", { name: "Back to the editor" }).click();
  await admin.locator('select[name="status"]').selectOption("published");
  await admin.getByRole("button", { name: "Save" }).click();
  await expect(admin.getByText("Saved.")).toBeVisible();
  await visitor.goto(`/policies/allowance-${stamp}`);
  await expect(visitor.getByRole("heading", { name: title })).toBeVisible();
  await expect(visitor.locator(`article img[src="${src}"]`)).toBeVisible();
  expect((await visitor.request.get(src)).status()).toBe(200);
  await adminContext.close();
});
