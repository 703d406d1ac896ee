// Uploads that go wrong, over real HTTP against the real server: over the limit while a
// disk write is in flight, too many form fields, a full disk. The process must survive,
// answer with a clear 4xx/507, and leave no partial file.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { UPLOAD_RULES } from "~/domains/courses/uploads.server";
import { startServer, type RunningServer } from "../../server/app";
import { enrol } from "~/domains/courses/courses.server";
import { makeCourse, makeUser } from "./fixtures";
import { cookieFor, PNG_MAGIC, slowMultipartUpload } from "./upload-helpers";

let server: RunningServer;
let expertCookie: string;
let learnerCookie: string;
let courseId: string;
let taskPath: string;
let textLessonPath: string;
let imageUrl: string;
let learnerId: string;

const tmpFiles = () => {
  const dir = path.join(process.env.STORAGE_DIR!, "tmp");
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
  const expert = await makeUser("expert");
  const learner = await makeUser("learner");
  expertCookie = await cookieFor(expert.id);
  learnerCookie = await cookieFor(learner.id);
  const c = await makeCourse(expert.id);
  courseId = c.course.id;
  await enrol(learner, courseId);
  taskPath = `/courses/${c.course.slug}/lessons/${c.task.id}`;
  textLessonPath = `/courses/${c.course.slug}/lessons/${c.text.id}`;
  imageUrl = `/teach/courses/${c.course.id}/lessons/${c.text.id}/image`;
  learnerId = learner.id;
}, 120_000);

afterAll(async () => {
  await server?.close();
});

async function stillServes() {
  const res = await fetch(`${server.url}/courses`, { headers: { Cookie: learnerCookie } });
  expect(res.status).toBe(200);
}

// Before the fix the stream's error was unhandled: Node would exit. Vitest would report it
// too, but the assertion says what is meant.
const uncaught: unknown[] = [];
const onUncaught = (err: unknown) => uncaught.push(err);
process.on("uncaughtException", onUncaught);
afterAll(() => {
  process.off("uncaughtException", onUncaught);
});

describe("an upload over its limit while a write is in flight", () => {
  it("answers 413 with a clear message, the server keeps serving, no .part is left", async () => {
    const limit = UPLOAD_RULES.cover.maxBytes;
    // Small pieces, just over the limit: the limit trips while a disk write is in flight
    // (this reproduced ERR_STREAM_DESTROYED before the fix).
    for (const [chunk, extra, pauseMs] of [
      [16 * 1024, 300_000, 0],
      [1000, 200_000, 0],
      [4096, 200_000, 0],
      [16 * 1024, 300_000, 0],
      [64 * 1024, 3 * 1024 * 1024, 1],
      [1024 * 1024, 1, 0],
      [16 * 1024, 100_000, 0],
    ]) {
      const reply = await slowMultipartUpload({
        url: `${server.url}/teach/courses/${courseId}/cover`,
        cookie: expertCookie,
        head: PNG_MAGIC,
        fileBytes: limit + extra,
        chunk,
        pauseMs,
      });
      if (!reply.reset) {
        expect(reply.status).toBe(413);
        expect(JSON.parse(reply.body)).toMatchObject({ error: "too_large" });
      }
      await stillServes();
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(uncaught).toEqual([]);
    expect(tmpFiles()).toEqual([]);
  });

  it("a learner's hand-in over 200 MiB the same way (413, server alive, nothing left)", async () => {
    const reply = await slowMultipartUpload({
      url: `${server.url}${taskPath}`,
      cookie: learnerCookie,
      head: PNG_MAGIC,
      fileBytes: UPLOAD_RULES.submission.maxBytes + 1024 * 1024,
      chunk: 1024 * 1024,
      headers: { "X-Upload": "" },
      fields: { body: "my weld" },
    });
    if (!reply.reset) expect(reply.status).toBe(413);
    await stillServes();
    await new Promise((r) => setTimeout(r, 200));
    expect(tmpFiles()).toEqual([]);
  }, 120_000);
});

describe("form fields are capped before they are buffered", () => {
  function manyFields(count: number, size: number) {
    const boundary = "----skillrelayfields";
    const value = "x".repeat(size);
    let body = "";
    for (let i = 0; i < count; i++) body += `--${boundary}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\n${value}\r\n`;
    body += `--${boundary}--\r\n`;
    return { body, type: `multipart/form-data; boundary=${boundary}` };
  }

  it("thousands of 19 KB fields in one hand-in → 413, nothing stored", async () => {
    const { body, type } = manyFields(2000, 19 * 1024);
    const before = await prisma.taskSubmission.count();
    const res = await fetch(`${server.url}${taskPath}`, {
      method: "POST",
      headers: { Cookie: learnerCookie, Origin: server.url, "Content-Type": type },
      body,
    }).catch(() => null);
    if (res) expect(res.status).toBe(413);
    expect(await prisma.taskSubmission.count()).toBe(before);
    await stillServes();
  });

  it("one field over 20 KB → 413; a malformed multipart body → 400; both with a message", async () => {
    const { body, type } = manyFields(1, 25 * 1024);
    const res = await fetch(`${server.url}/teach/courses/${courseId}/cover`, {
      method: "POST",
      headers: { Cookie: expertCookie, Origin: server.url, "Content-Type": type, "X-Upload": "xhr" },
      body,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "too_large", message: expect.stringMatching(/field/) });

    const bad = await fetch(`${server.url}/teach/courses/${courseId}/cover`, {
      method: "POST",
      headers: { Cookie: expertCookie, Origin: server.url, "Content-Type": "multipart/form-data; boundary=zzz", "X-Upload": "xhr" },
      body: "--zzz\r\nContent-Disposition: garbage\r\n\r\nno end",
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "bad_form" });
    await stillServes();
  });

  it("a declared Content-Length over the limit is refused before reading the body", async () => {
    const res = await fetch(`${server.url}/teach/courses/${courseId}/cover`, {
      method: "POST",
      headers: { Cookie: expertCookie, Origin: server.url, "Content-Type": "multipart/form-data; boundary=zzz", "X-Upload": "xhr" },
      body: Buffer.alloc(UPLOAD_RULES.cover.maxBytes + 1024 * 1024),
    }).catch(() => null);
    if (res) expect(res.status).toBe(413);
    await stillServes();
    expect(tmpFiles()).toEqual([]);
  });
});

describe("lesson images uploaded in the lesson editor", () => {
  // A real 1×1 PNG.
  const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
  const upload = (cookie: string, bytes: Buffer, name: string) => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(bytes)]), name);
    return fetch(`${server.url}${imageUrl}`, { method: "POST", headers: { Cookie: cookie, Origin: server.url, "X-Upload": "xhr" }, body: form });
  };

  it("an author uploads an image, gets its Markdown, and the lesson shows it to enrolled learners only", async () => {
    const res = await upload(expertCookie, PNG, "weld bead.png");
    expect(res.status).toBe(200);
    const { markdown, asset } = await res.json();
    expect(markdown).toBe(`![weld bead](/media/${asset.id})`);
    const lessonId = textLessonPath.split("/").pop()!;
    await prisma.lesson.update({ where: { id: lessonId }, data: { body: `${markdown}\n\n![pixel](https://tracker.example/p.gif)` } });

    const page = await fetch(`${server.url}${textLessonPath}`, { headers: { Cookie: learnerCookie } });
    const html = await page.text();
    expect(html).toContain(`<img src="/media/${asset.id}" alt="weld bead"`);
    expect(html).not.toContain('<img src="https://tracker.example');
    const img = await fetch(`${server.url}/media/${asset.id}`, { headers: { Cookie: learnerCookie } });
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/png");

    const stranger = await cookieFor((await makeUser("learner")).id);
    expect((await fetch(`${server.url}/media/${asset.id}`, { headers: { Cookie: stranger } })).status).toBe(403);
    void learnerId;
  });

  it("refuses what is not an image (by content), other experts and learners", async () => {
    const pdf = await upload(expertCookie, Buffer.from("%PDF-1.4\n%%EOF\n"), "looks.png");
    expect(pdf.status).toBe(400);
    expect(await pdf.json()).toMatchObject({ error: "bad_type" });
    const otherExpert = await cookieFor((await makeUser("expert")).id);
    expect([403, 404]).toContain((await upload(otherExpert, PNG, "x.png")).status);
    expect([302, 403]).toContain((await upload(learnerCookie, PNG, "x.png")).status);
    expect(tmpFiles()).toEqual([]);
  });
});
