// Resumable hand-in uploads (tus) over real HTTP against the real server, and hand-ins with
// several files and attempts (issue 11; docs/decisions/025-resumable-hand-ins.md).
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { enrol } from "~/domains/courses/courses.server";
import { storage } from "~/domains/courses/storage.server";
import { HAND_IN_LIMITS, HAND_IN_UPLOAD_PATH } from "~/domains/courses/hand-in-rules";
import { assignMarker, markingView, replaceScheme } from "~/domains/assessment/marking.server";
import type { SchemeInput } from "~/domains/assessment/scheme";
import { startServer, type RunningServer } from "../../server/app";
import { makeCourse, makeUser } from "./fixtures";
import { cookieFor } from "./upload-helpers";

let server: RunningServer;
let learner: Awaited<ReturnType<typeof makeUser>>;
let other: Awaited<ReturnType<typeof makeUser>>;
let lead: Awaited<ReturnType<typeof makeUser>>;
let learnerCookie: string;
let otherCookie: string;
let course: Awaited<ReturnType<typeof makeCourse>>;

const MB = 1024 * 1024;
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const sha256 = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");
const meta = (m: Record<string, string>) => Object.entries(m).map(([k, v]) => `${k} ${Buffer.from(v).toString("base64")}`).join(",");

const scheme: SchemeInput = {
  total: 100,
  tolerance: 0,
  sections: [{ name: "Work", weighting: 100, criteria: [{ code: "A", name: "Weld", aspects: [{ kind: "measurement", description: "Done", maxMark: 100, measurement: { mode: "binary" } }] }] }],
};

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
  lead = await makeUser("expert", "Lead");
  learner = await makeUser("learner", "Lena");
  other = await makeUser("learner", "Otto");
  course = await makeCourse(lead.id);
  await enrol(learner, course.course.id);
  await enrol(other, course.course.id);
  learnerCookie = await cookieFor(learner.id);
  otherCookie = await cookieFor(other.id);
}, 120_000);

afterAll(async () => {
  await server?.close();
});

/** One tus request (fetch); the Origin header as a browser on this site sends it. */
async function tus(method: string, url: string, opts: { cookie?: string; headers?: Record<string, string>; body?: Buffer } = {}) {
  return fetch(new URL(url, server.url), {
    method,
    headers: { "Tus-Resumable": "1.0.0", Origin: server.url, ...(opts.cookie ? { Cookie: opts.cookie } : {}), ...opts.headers },
    body: opts.body ? new Uint8Array(opts.body) : undefined,
  });
}

async function create(cookie: string, size: number, m: Record<string, string>) {
  return tus("POST", HAND_IN_UPLOAD_PATH, { cookie, headers: { "Upload-Length": String(size), "Upload-Metadata": meta(m) } });
}

const patch = (cookie: string, url: string, offset: number, body: Buffer) =>
  tus("PATCH", url, { cookie, body, headers: { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" } });

/** Sends `bytes` of a PATCH body, then drops the connection (a weak link going away). */
function patchThenDrop(url: string, cookie: string, offset: number, bytes: Buffer, total: number) {
  const u = new URL(url, server.url);
  return new Promise<void>((resolve) => {
    const req = http.request({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: "PATCH",
      headers: {
        Cookie: cookie,
        Origin: server.url,
        "Tus-Resumable": "1.0.0",
        "Upload-Offset": String(offset),
        "Content-Type": "application/offset+octet-stream",
        "Content-Length": String(total - offset),
      },
    });
    req.on("error", () => resolve());
    req.on("close", () => resolve());
    req.write(bytes, () => {
      // Let the bytes reach the server's file, then cut the connection mid-body.
      setTimeout(() => req.destroy(), 400);
    });
  });
}

async function offsetOf(cookie: string, url: string) {
  const res = await tus("HEAD", url, { cookie });
  return { status: res.status, offset: Number(res.headers.get("upload-offset")), length: Number(res.headers.get("upload-length")) };
}

/** Polls HEAD until the offset stops moving (the dropped PATCH has let go of its lock). */
async function settledOffset(cookie: string, url: string) {
  let last = -1;
  for (let i = 0; i < 40; i++) {
    const { offset } = await offsetOf(cookie, url);
    if (offset === last) return offset;
    last = offset;
    await new Promise((r) => setTimeout(r, 150));
  }
  return last;
}

async function uploadWhole(cookie: string, bytes: Buffer, m: Record<string, string>) {
  const created = await create(cookie, bytes.length, m);
  expect(created.status).toBe(201);
  const url = created.headers.get("location")!;
  const done = await patch(cookie, url, 0, bytes);
  return { url, id: url.split("/").pop()!, done };
}

/** The lesson page's hand-in form, as the browser posts it (multipart). */
async function handIn(cookie: string, fields: { body?: string; uploads?: string[]; file?: { name: string; bytes: Buffer } }) {
  const form = new FormData();
  form.set("body", fields.body ?? "");
  for (const id of fields.uploads ?? []) form.append("upload", id);
  if (fields.file) form.set("file", new Blob([new Uint8Array(fields.file.bytes)]), fields.file.name);
  return fetch(new URL(`/courses/${course.course.slug}/lessons/${course.task.id}`, server.url), { method: "POST", headers: { Cookie: cookie, Origin: server.url, "Accept-Language": "en" }, body: form });
}

const resumableDir = () => server.handIns.directory;

describe("resumable hand-in uploads (tus)", () => {
  it("an upload cut off mid-way resumes from the offset HEAD reports and completes with the very same bytes", async () => {
    const original = Buffer.concat([JPEG_MAGIC, crypto.randomBytes(3 * MB)]);
    const created = await create(learnerCookie, original.length, { filename: "weld-1.jpg", filetype: "image/jpeg", lesson: course.task.id });
    expect(created.status).toBe(201);
    const url = created.headers.get("location")!;
    expect(url).toMatch(new RegExp(`^${HAND_IN_UPLOAD_PATH}/[0-9a-f]{32}$`));

    const sentBeforeDrop = 1 * MB + 12345;
    await patchThenDrop(url, learnerCookie, 0, original.subarray(0, sentBeforeDrop), original.length);
    const offset = await settledOffset(learnerCookie, url);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(sentBeforeDrop);
    console.info(`hand-in resume: ${offset} of ${sentBeforeDrop} bytes sent before the drop were kept`);
    const head = await offsetOf(learnerCookie, url);
    expect(head).toMatchObject({ status: 200, length: original.length });
    // Nothing is stored as an asset before the last byte.
    const id = url.split("/").pop()!;
    expect((await prisma.handInUpload.findUniqueOrThrow({ where: { id } })).completedAt).toBeNull();

    // Resume: only the rest is sent.
    const rest = await patch(learnerCookie, url, offset, original.subarray(offset));
    expect(rest.status).toBe(204);
    expect(Number(rest.headers.get("upload-offset"))).toBe(original.length);
    const row = await prisma.handInUpload.findUniqueOrThrow({ where: { id }, include: { asset: true } });
    expect(row.completedAt).not.toBeNull();
    expect(row.asset!.mimeType).toBe("image/jpeg");
    const stored = fs.readFileSync(storage.localPath(row.asset!.storageKey)!);
    expect(sha256(stored)).toBe(sha256(original));
    // The partial file and its info are gone from the resumable store.
    expect(fs.readdirSync(resumableDir()).filter((f) => f.startsWith(id))).toEqual([]);
    // HEAD after completion says complete (a client whose last answer was lost stops there).
    expect(await offsetOf(learnerCookie, url)).toMatchObject({ status: 200, offset: original.length });
  });

  it("needs the session cookie: 401 without it, for creating and for continuing", async () => {
    expect((await create("", 10, { filename: "a.jpg", filetype: "image/jpeg", lesson: course.task.id })).status).toBe(401);
    const { url } = await (async () => {
      const r = await create(learnerCookie, 100, { filename: "a.jpg", filetype: "image/jpeg", lesson: course.task.id });
      return { url: r.headers.get("location")! };
    })();
    expect((await tus("HEAD", url)).status).toBe(401);
    expect((await patch("", url, 0, Buffer.alloc(10))).status).toBe(401);
    expect((await tus("HEAD", url, { cookie: "auth_session=forged" })).status).toBe(401);
  });

  it("another user's upload URL is refused (404 as for an unknown id) and their upload is untouched", async () => {
    const r = await create(learnerCookie, 1000, { filename: "mine.jpg", filetype: "image/jpeg", lesson: course.task.id });
    const url = r.headers.get("location")!;
    const first = Buffer.concat([JPEG_MAGIC, Buffer.alloc(96, 7)]);
    expect((await patch(learnerCookie, url, 0, first)).status).toBe(204);
    expect((await tus("HEAD", url, { cookie: otherCookie })).status).toBe(404);
    expect((await patch(otherCookie, url, 100, Buffer.alloc(900))).status).toBe(404);
    expect((await tus("DELETE", url, { cookie: otherCookie })).status).toBe(404);
    expect(await offsetOf(learnerCookie, url)).toMatchObject({ status: 200, offset: 100 });
    // A client cannot name itself the owner either: the server writes the owner.
    const forged = await create(otherCookie, 10, { filename: "x.jpg", filetype: "image/jpeg", lesson: course.task.id, owner: learner.id });
    const forgedId = forged.headers.get("location")!.split("/").pop()!;
    expect((await prisma.handInUpload.findUniqueOrThrow({ where: { id: forgedId } })).userId).toBe(other.id);
    // Nor hand in someone else's finished upload.
    const { id: theirs } = await uploadWhole(learnerCookie, Buffer.concat([JPEG_MAGIC, Buffer.alloc(500, 1)]), { filename: "l.jpg", filetype: "image/jpeg", lesson: course.task.id });
    const before = await prisma.taskSubmission.count();
    expect((await handIn(otherCookie, { body: "mine now", uploads: [theirs] })).status).toBe(400);
    expect(await prisma.taskSubmission.count()).toBe(before);
  });

  it("refuses sizes over the kind's limit with 413 before any byte is sent", async () => {
    const photo = await create(learnerCookie, HAND_IN_LIMITS.maxBytes.photo + 1, { filename: "huge.jpg", filetype: "image/jpeg", lesson: course.task.id });
    expect(photo.status).toBe(413);
    expect(await photo.text()).toMatch(/^too_large/);
    const video = await create(learnerCookie, HAND_IN_LIMITS.maxBytes.video + 1, { filename: "long.mp4", filetype: "video/mp4", lesson: course.task.id });
    expect(video.status).toBe(413);
    // A video of 150 MB is fine by its declared type…
    const ok = await create(learnerCookie, 150 * MB, { filename: "ok.mp4", filetype: "video/mp4", lesson: course.task.id });
    expect(ok.status).toBe(201);
    await tus("DELETE", ok.headers.get("location")!, { cookie: learnerCookie });
    // …and a body longer than the declared length is not taken.
    const small = await create(learnerCookie, 10, { filename: "s.jpg", filetype: "image/jpeg", lesson: course.task.id });
    const over = await patch(learnerCookie, small.headers.get("location")!, 0, Buffer.concat([JPEG_MAGIC, Buffer.alloc(100)]));
    expect(over.status).toBe(413);
  });

  it("an executable renamed .jpg is refused on completion and leaves nothing behind", async () => {
    const exe = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(5000, 1)]);
    const assets = await prisma.asset.count();
    const { id, done } = await uploadWhole(learnerCookie, exe, { filename: "photo.jpg", filetype: "image/jpeg", lesson: course.task.id });
    expect(done.status).toBe(415);
    expect(await done.text()).toMatch(/bad_type/);
    expect(await prisma.handInUpload.findUnique({ where: { id } })).toBeNull();
    expect(await prisma.asset.count()).toBe(assets);
    expect(fs.readdirSync(resumableDir()).filter((f) => f.startsWith(id))).toEqual([]);
  });

  it("per user: at most 20 uploads and 1 GB waiting to be handed in", async () => {
    const u = await makeUser("learner");
    await enrol(u, course.course.id);
    const cookie = await cookieFor(u.id);
    const video = { filename: "v.mp4", filetype: "video/mp4", lesson: course.task.id };
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await create(cookie, 200 * MB, video)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 413]);
    const many = [];
    for (let i = 0; i < 16; i++) many.push((await create(cookie, 10, { filename: `p${i}.jpg`, filetype: "image/jpeg", lesson: course.task.id })).status);
    expect(many.slice(0, 15).every((s) => s === 201)).toBe(true);
    const refused = await create(cookie, 10, { filename: "p.jpg", filetype: "image/jpeg", lesson: course.task.id });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toMatch(/^too_many_pending/);
    expect(await prisma.handInUpload.count({ where: { userId: u.id } })).toBe(HAND_IN_LIMITS.pendingUploads);
  });

  it("hostile input to the endpoint is a 4xx, never a 5xx, and the server still serves", async () => {
    const ids = ["a".repeat(33), "%00", "x%00y", encodeURIComponent("héllo\u202e日本語"), "..%2F..%2Fetc%2Fpasswd", "%ZZ", "0".repeat(32), "A".repeat(32)];
    for (const id of ids) {
      for (const method of ["HEAD", "PATCH", "DELETE", "POST", "GET"]) {
        const res = await tus(method, `${HAND_IN_UPLOAD_PATH}/${id}`, { cookie: learnerCookie, headers: { "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" }, body: method === "PATCH" || method === "POST" ? Buffer.alloc(10) : undefined });
        expect(res.status, `${method} ${id}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${method} ${id}`).toBeLessThan(500);
      }
    }
    const lesson = course.task.id;
    const headerCases: Record<string, string>[] = [
      { "Upload-Length": "10", "Upload-Metadata": "filename ***not base64***,lesson" },
      { "Upload-Length": "-5", "Upload-Metadata": meta({ lesson }) },
      { "Upload-Length": "1e12", "Upload-Metadata": meta({ lesson }) },
      { "Upload-Length": "0", "Upload-Metadata": meta({ lesson, filetype: "image/jpeg" }) },
      { "Upload-Defer-Length": "1", "Upload-Metadata": meta({ lesson }) },
      { "Upload-Length": "10", "Upload-Metadata": meta({ lesson: "a\u0000b" }) },
      { "Upload-Length": "10", "Upload-Metadata": meta({ lesson: "x".repeat(41) }) },
      { "Upload-Length": "10", "Upload-Concat": "final;/a /b", "Upload-Metadata": meta({ lesson }) },
    ];
    for (const headers of headerCases) {
      const res = await tus("POST", HAND_IN_UPLOAD_PATH, { cookie: learnerCookie, headers });
      expect(res.status, JSON.stringify(headers).slice(0, 120)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(headers).slice(0, 120)).toBeLessThan(500);
    }
    // A very long file name is cut to 200 characters, not refused.
    const long = await tus("POST", HAND_IN_UPLOAD_PATH, { cookie: learnerCookie, headers: { "Upload-Length": "10", "Upload-Metadata": meta({ lesson, filename: "x".repeat(5000) }) } });
    expect(long.status).toBe(201);
    expect((await prisma.handInUpload.findUniqueOrThrow({ where: { id: long.headers.get("location")!.split("/").pop()! } })).filename).toHaveLength(200);
    // Without Tus-Resumable: refused by tus (412).
    const bare = await fetch(new URL(HAND_IN_UPLOAD_PATH, server.url), { method: "POST", headers: { Cookie: learnerCookie, Origin: server.url, "Upload-Length": "10", "Upload-Metadata": meta({ lesson }) } });
    expect(bare.status).toBe(412);
    // From another site: the cross-site guard (403) before anything else.
    const crossSite = await tus("POST", HAND_IN_UPLOAD_PATH, { cookie: learnerCookie, headers: { Origin: "https://evil.example", "Upload-Length": "10", "Upload-Metadata": meta({ lesson }) } });
    expect(crossSite.status).toBe(403);
    expect((await fetch(new URL("/healthz", server.url))).status).toBe(200);
  });

  it("only for a task of a course the user is enrolled in", async () => {
    const stranger = await makeUser("learner");
    const cookie = await cookieFor(stranger.id);
    expect((await create(cookie, 10, { filename: "a.jpg", filetype: "image/jpeg", lesson: course.task.id })).status).toBe(403);
    expect((await create(learnerCookie, 10, { filename: "a.jpg", filetype: "image/jpeg", lesson: course.text.id })).status).toBe(400);
    expect((await create(learnerCookie, 10, { filename: "a.jpg", filetype: "image/jpeg", lesson: "nope" })).status).toBe(404);
    expect((await create(learnerCookie, 10, { filename: "a.jpg", filetype: "image/jpeg" })).status).toBe(404);
  });

  it("unfinished uploads expire: the clean-up removes their bytes and record", async () => {
    const r = await create(learnerCookie, 1000, { filename: "late.jpg", filetype: "image/jpeg", lesson: course.task.id });
    const url = r.headers.get("location")!;
    const id = url.split("/").pop()!;
    await patch(learnerCookie, url, 0, Buffer.concat([JPEG_MAGIC, Buffer.alloc(100)]));
    expect(fs.existsSync(path.join(resumableDir(), id))).toBe(true);
    await prisma.handInUpload.update({ where: { id }, data: { createdAt: new Date(Date.now() - HAND_IN_LIMITS.expireAfterMs - 1000) } });
    expect(await server.handIns.sweep()).toBeGreaterThanOrEqual(1);
    expect(await prisma.handInUpload.findUnique({ where: { id } })).toBeNull();
    expect(fs.existsSync(path.join(resumableDir(), id))).toBe(false);
    expect((await tus("HEAD", url, { cookie: learnerCookie })).status).toBe(404);
  });
});

describe("a hand-in with several files", () => {
  it("holds the note and the files in order; the marker sees all of them and can read each", async () => {
    const photo = Buffer.concat([JPEG_MAGIC, crypto.randomBytes(2000)]);
    const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(3000, 32), Buffer.from("\n%%EOF\n")]);
    const a = await uploadWhole(learnerCookie, photo, { filename: "front.jpg", filetype: "image/jpeg", lesson: course.task.id });
    const b = await uploadWhole(learnerCookie, pdf, { filename: "report.pdf", filetype: "application/pdf", lesson: course.task.id });
    expect([a.done.status, b.done.status]).toEqual([204, 204]);
    const res = await handIn(learnerCookie, { body: "Butt weld, two passes", uploads: [a.id, b.id] });
    expect(res.status).toBe(200);
    const sub = await prisma.taskSubmission.findFirstOrThrow({ where: { userId: learner.id, body: "Butt weld, two passes" }, include: { files: { orderBy: { position: "asc" }, include: { asset: true } } } });
    expect(sub.assetId).toBeNull();
    expect(sub.files.map((f) => [f.kind, f.asset.originalName])).toEqual([["photo", "front.jpg"], ["file", "report.pdf"]]);
    // Used uploads cannot be handed in again; malformed ids and too many files are 400, nothing saved.
    const count = await prisma.taskSubmission.count();
    const again = await handIn(learnerCookie, { body: "again, with the same photo", uploads: [a.id] });
    expect(again.status).toBe(400);
    // Nothing typed is lost: the note is back in the form (the page without JavaScript).
    expect((await again.text()).includes(">again, with the same photo</textarea>")).toBe(true);
    expect((await handIn(learnerCookie, { body: "bad", uploads: ["../../etc/passwd"] })).status).toBe(400);
    expect((await handIn(learnerCookie, { body: "many", uploads: Array.from({ length: HAND_IN_LIMITS.filesPerSubmission + 1 }, (_, i) => i.toString(16).padStart(32, "0")) })).status).toBe(400);
    expect(await prisma.taskSubmission.count()).toBe(count);
    // The course's author reads the files through /media; another learner does not.
    const authorCookie = await cookieFor(lead.id);
    for (const f of sub.files) {
      expect((await fetch(new URL(`/media/${f.asset.id}`, server.url), { headers: { Cookie: authorCookie } })).status).toBe(200);
      expect((await fetch(new URL(`/media/${f.asset.id}`, server.url), { headers: { Cookie: otherCookie } })).status).toBe(403);
    }
  });

  it("without JavaScript, the note and one file in the form still work (one SubmissionFile)", async () => {
    const res = await handIn(otherCookie, { body: "plain form", file: { name: "weld.jpg", bytes: Buffer.concat([JPEG_MAGIC, crypto.randomBytes(1000)]) } });
    expect(res.status).toBe(200);
    const sub = await prisma.taskSubmission.findFirstOrThrow({ where: { userId: other.id, body: "plain form" }, include: { files: true } });
    expect(sub.files).toHaveLength(1);
    expect(sub.files[0].kind).toBe("photo");
  });

  it("under blind marking the marker sees neither the name nor the learner's file names", async () => {
    const c = await makeCourse(lead.id);
    const l = await makeUser("learner", "Blanca Blind");
    await enrol(l, c.course.id);
    await replaceScheme(lead, c.task.id, scheme, { blind: true });
    const marker = await makeUser("expert");
    await assignMarker(lead, c.task.id, marker.id);
    const cookie = await cookieFor(l.id);
    const up = async (name: string, bytes: Buffer, filetype: string) => (await uploadWhole(cookie, bytes, { filename: name, filetype, lesson: c.task.id })).id;
    const ids = [await up("blanca-front.jpg", Buffer.concat([JPEG_MAGIC, Buffer.alloc(300, 2)]), "image/jpeg"), await up("blanca-report.pdf", Buffer.from("%PDF-1.4\n%%EOF\n"), "application/pdf")];
    const form = new FormData();
    for (const id of ids) form.append("upload", id);
    const res = await fetch(new URL(`/courses/${c.course.slug}/lessons/${c.task.id}`, server.url), { method: "POST", headers: { Cookie: cookie, Origin: server.url }, body: form });
    expect(res.status).toBe(200);
    const sub = await prisma.taskSubmission.findFirstOrThrow({ where: { userId: l.id } });
    const view = await markingView(marker, sub.id);
    expect(view.files.map((f) => f.name)).toEqual(["photo-1.jpg", "file-1.pdf"]);
    const page = await (await fetch(new URL(`/marking/${sub.id}`, server.url), { headers: { Cookie: await cookieFor(marker.id), "Accept-Language": "en" } })).text();
    expect(page.includes("Blanca") || page.includes("blanca")).toBe(false);
    // Nor in the download: /media names the file neutrally for anyone but its learner.
    for (const f of view.files) {
      const asMarker = await fetch(new URL(`/media/${f.id}?download=1`, server.url), { headers: { Cookie: await cookieFor(marker.id) } });
      expect(asMarker.status).toBe(200);
      expect(asMarker.headers.get("content-disposition")).not.toMatch(/blanca/i);
      expect(asMarker.headers.get("content-disposition")).toMatch(/(photo|file)-[a-z0-9]{6}\.(jpg|pdf)/);
      await asMarker.arrayBuffer();
      const asLearner = await fetch(new URL(`/media/${f.id}?download=1`, server.url), { headers: { Cookie: cookie } });
      expect(asLearner.headers.get("content-disposition")).toMatch(/blanca-(front\.jpg|report\.pdf)/);
      await asLearner.arrayBuffer();
    }
  });

  it("older hand-ins with TaskSubmission.assetId still show their file", async () => {
    const asset = await prisma.asset.create({ data: { ownerId: learner.id, storageKey: "files/none/old.pdf", originalName: "old.pdf", mimeType: "application/pdf", sizeBytes: 10n } });
    const c = await makeCourse(lead.id);
    await enrol(learner, c.course.id);
    await replaceScheme(lead, c.task.id, scheme);
    const marker = await makeUser("expert");
    await assignMarker(lead, c.task.id, marker.id);
    const sub = await prisma.taskSubmission.create({ data: { lessonId: c.task.id, userId: learner.id, body: "old", assetId: asset.id } });
    expect((await markingView(marker, sub.id)).files).toEqual([{ id: asset.id, name: "old.pdf", kind: "file", mimeType: "application/pdf" }]);
  });
});

describe("attempts allowed per task", () => {
  it("re-submission up to attemptsAllowed; then the server refuses hand-ins and new uploads with a clear message", async () => {
    const c = await makeCourse(lead.id);
    const l = await makeUser("learner");
    await enrol(l, c.course.id);
    await replaceScheme(lead, c.task.id, scheme, { attemptsAllowed: 2 });
    const cookie = await cookieFor(l.id);
    const post = (body: string) => {
      const form = new FormData();
      form.set("body", body);
      return fetch(new URL(`/courses/${c.course.slug}/lessons/${c.task.id}`, server.url), { method: "POST", headers: { Cookie: cookie, Origin: server.url, "Accept-Language": "en" }, body: form });
    };
    expect((await post("first")).status).toBe(200);
    const page = await fetch(new URL(`/courses/${c.course.slug}/lessons/${c.task.id}`, server.url), { headers: { Cookie: cookie, "Accept-Language": "en" } });
    expect((await page.text()).includes("Attempts used: 1 of 2")).toBe(true);
    expect((await post("second")).status).toBe(200);
    const third = await post("third");
    expect(third.status).toBe(409);
    const refusedPage = await third.text();
    expect(refusedPage.includes("You have used all 2 attempts allowed for this task.")).toBe(true);
    const upload = await create(cookie, 10, { filename: "a.jpg", filetype: "image/jpeg", lesson: c.task.id });
    expect(upload.status).toBe(409);
    expect(await upload.text()).toMatch(/^attempts_used/);
    expect(await prisma.taskSubmission.count({ where: { userId: l.id, lessonId: c.task.id } })).toBe(2);
    // The page says so instead of offering the form.
    const after = await (await fetch(new URL(`/courses/${c.course.slug}/lessons/${c.task.id}`, server.url), { headers: { Cookie: cookie, "Accept-Language": "en" } })).text();
    expect(after.includes("You have used all 2 attempts allowed for this task.")).toBe(true);
    expect(after.includes(`data-testid="hand-in-form"`)).toBe(false);
  });

  it("two hand-ins at once for the last attempt: exactly one is taken", async () => {
    const c = await makeCourse(lead.id);
    const l = await makeUser("learner");
    await enrol(l, c.course.id);
    await replaceScheme(lead, c.task.id, scheme, { attemptsAllowed: 1 });
    const cookie = await cookieFor(l.id);
    const post = (body: string) => {
      const form = new FormData();
      form.set("body", body);
      return fetch(new URL(`/courses/${c.course.slug}/lessons/${c.task.id}`, server.url), { method: "POST", headers: { Cookie: cookie, Origin: server.url, "Accept-Language": "en" }, body: form });
    };
    const statuses = (await Promise.all([post("a"), post("b"), post("c")])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
    expect(await prisma.taskSubmission.count({ where: { userId: l.id, lessonId: c.task.id } })).toBe(1);
  });

  it("a task without a marking scheme takes any number of hand-ins", async () => {
    const c = await makeCourse(lead.id);
    const l = await makeUser("learner");
    await enrol(l, c.course.id);
    const cookie = await cookieFor(l.id);
    for (const body of ["1", "2", "3"]) {
      const form = new FormData();
      form.set("body", body);
      const res = await fetch(new URL(`/courses/${c.course.slug}/lessons/${c.task.id}`, server.url), { method: "POST", headers: { Cookie: cookie, Origin: server.url, "Accept-Language": "en" }, body: form });
      expect(res.status).toBe(200);
    }
  });
});
