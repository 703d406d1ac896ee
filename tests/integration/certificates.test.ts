// Certificates end to end on the real server and database: issued when the last lesson is
// done (once), the PDF read back with pdftotext, holder-only downloads, public verification
// (valid, revoked, unknown, malformed, rate-limited), revocation by admins only (audited).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app";
import { prisma } from "~/domains/db.server";
import { enrol } from "~/domains/courses/courses.server";
import { markMaterialDownloaded, markTextRead, recordVideoPosition, submitTask } from "~/domains/courses/lessons.server";
import { issueCertificate, newCertificateCode, revokeCertificate } from "~/domains/certificates/certificates.server";
import { CODE_ALPHABET, encodeCode, groupCode, normalizeCode } from "~/domains/certificates/code";
import { certificatePdf } from "~/domains/certificates/pdf.server";
import { createSessionCookie } from "~/domains/auth/session.server";
import { makeCourse, makeUser } from "./fixtures";

// Each test comes from its own address (X-Forwarded-For), so the verification limit of one
// does not spill into another.
process.env.TRUST_PROXY = "true";
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

let ipN = 0;
const newIp = () => `203.0.113.${++ipN}`;

async function get(pathname: string, userId: string | null, ip = newIp()) {
  const headers: Record<string, string> = { "X-Forwarded-For": ip, "Accept-Language": "en", Cookie: "lng=en" };
  if (userId) headers.Cookie += `; ${(await createSessionCookie(userId)).split(";")[0]}`;
  return fetch(`${server.url}${pathname}`, { headers, redirect: "manual" });
}

async function post(pathname: string, userId: string | null, form: Record<string, string>) {
  const headers: Record<string, string> = { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": newIp(), Cookie: "lng=en" };
  if (userId) headers.Cookie += `; ${(await createSessionCookie(userId)).split(";")[0]}`;
  return fetch(`${server.url}${pathname}`, { method: "POST", headers, body: new URLSearchParams(form), redirect: "manual" });
}

function pdfText(pdf: Buffer) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cert-pdf-"));
  const file = path.join(dir, "c.pdf");
  fs.writeFileSync(file, pdf);
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
}

/** A learner (Chinese name) who completes every lesson of a fresh course. */
async function completeCourse(name = "王小明") {
  const expert = await makeUser("expert", "李师傅");
  const learner = await makeUser("learner", name);
  const c = await makeCourse(expert.id, { title: "焊接基础", videoSeconds: 10 });
  await enrol(learner, c.course.id);
  await markTextRead(learner.id, c.text.id);
  const t0 = Date.now();
  await recordVideoPosition(learner.id, c.video.id, 0, new Date(t0));
  await recordVideoPosition(learner.id, c.video.id, 10, new Date(t0 + 10_000));
  await markMaterialDownloaded(learner.id, c.material.id, c.materialAsset.id);
  return { expert, learner, c };
}

describe("certificate codes", () => {
  it("are 16 base32 characters from 80 random bits, unique, and typed forms normalise", () => {
    const codes = new Set(Array.from({ length: 2000 }, () => newCertificateCode()));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{16}$`));
    // Every position takes many values: not a counter, not a timestamp.
    for (let i = 0; i < 16; i++) expect(new Set([...codes].map((c) => c[i])).size).toBeGreaterThan(28);
    expect(encodeCode(new Uint8Array(10))).toBe("0000000000000000");
    expect(encodeCode(new Uint8Array(10).fill(255))).toBe("ZZZZZZZZZZZZZZZZ");
    const code = newCertificateCode();
    expect(groupCode(code)).toMatch(/^.{4}-.{4}-.{4}-.{4}$/);
    expect(normalizeCode(` ${groupCode(code).toLowerCase()} `)).toBe(code);
    expect(normalizeCode("OIL0-0000-0000-0000")).toBe("0110000000000000");
    expect(normalizeCode("short")).toBeNull();
    expect(normalizeCode("UUUU-UUUU-UUUU-UUUU")).toBeNull();
    expect(normalizeCode("'; drop table--")).toBeNull();
  });
});

describe("issuing on course completion", () => {
  it("the last lesson issues one certificate (idempotent) and notifies the learner", async () => {
    const { learner, c } = await completeCourse();
    expect(await prisma.certificate.count({ where: { userId: learner.id } })).toBe(0);
    await submitTask(learner.id, c.task.id, "done", null);
    const certs = await prisma.certificate.findMany({ where: { userId: learner.id } });
    expect(certs).toHaveLength(1);
    expect(certs[0]).toMatchObject({ kind: "course", courseId: c.course.id, holderName: "王小明", titleZh: "焊接基础", issuerName: "李师傅", orgName: "SkillRelay" });
    // Repeating lessons, or another call, issues nothing new.
    await markTextRead(learner.id, c.text.id);
    await submitTask(learner.id, c.task.id, "again", null);
    const again = await issueCertificate({ userId: learner.id, kind: "course", courseId: c.course.id, titleZh: "x", titleEn: "x" });
    expect(again.created).toBe(false);
    expect(again.certificate.code).toBe(certs[0].code);
    // Parallel calls: still one.
    await Promise.all(Array.from({ length: 5 }, () => issueCertificate({ userId: learner.id, kind: "course", courseId: c.course.id, titleZh: "x", titleEn: "x" })));
    expect(await prisma.certificate.count({ where: { userId: learner.id } })).toBe(1);
    const notes = await prisma.notification.findMany({ where: { userId: learner.id, kind: "assessment:certificates.notifyIssued" } });
    expect(notes).toHaveLength(1);
    expect(notes[0].title).toContain("焊接基础");
    expect(notes[0].url).toBe("/certificates");
  });

  it("not before every lesson is done", async () => {
    const { learner } = await completeCourse("赵六");
    expect(await prisma.certificate.count({ where: { userId: learner.id } })).toBe(0);
  });

  it("competition certificates through issueCertificate (several allowed)", async () => {
    const learner = await makeUser("learner", "陈静");
    const a = await issueCertificate({ userId: learner.id, kind: "competition", titleZh: "省赛 焊接", titleEn: "Provincial welding", achievement: "金牌 · 812" });
    const b = await issueCertificate({ userId: learner.id, kind: "competition", titleZh: "市赛 焊接", titleEn: "City welding", achievement: "银牌" });
    expect(a.created && b.created).toBe(true);
    expect(a.certificate.code).not.toBe(b.certificate.code);
  });
});

describe("the PDF", () => {
  it("holds the learner's Chinese name, the course and the code (read back with pdftotext), in both languages", async () => {
    const { learner, c } = await completeCourse("欧阳娜娜");
    await submitTask(learner.id, c.task.id, "done", null);
    const cert = await prisma.certificate.findFirstOrThrow({ where: { userId: learner.id } });
    const zh = await certificatePdf(cert, "zh-CN", "Asia/Shanghai");
    expect(zh.subarray(0, 5).toString()).toBe("%PDF-");
    const zhText = pdfText(zh);
    expect(zhText).toContain("欧阳娜娜");
    expect(zhText).toContain("焊接基础");
    expect(zhText).toContain("结业证书");
    expect(zhText).toContain(groupCode(cert.code));
    expect(zhText).toContain(`/verify/${cert.code}`);
    const enText = pdfText(await certificatePdf(cert, "en", "Asia/Shanghai"));
    expect(enText).toContain("欧阳娜娜");
    expect(enText).toContain("Certificate of Completion");
    expect(enText).toContain(groupCode(cert.code));
  });

  it("downloads for the holder and an admin only; another learner gets 404, anonymous logs in", async () => {
    const { learner, c, expert } = await completeCourse("孙悟空");
    await submitTask(learner.id, c.task.id, "done", null);
    const cert = await prisma.certificate.findFirstOrThrow({ where: { userId: learner.id } });
    const other = await makeUser("learner", "猪八戒");
    const admin = await makeUser("admin");
    const url = `/certificates/${cert.code}/pdf?lang=zh-CN`;

    const mine = await get(url, learner.id);
    expect(mine.status).toBe(200);
    expect(mine.headers.get("content-type")).toBe("application/pdf");
    expect(pdfText(Buffer.from(await mine.arrayBuffer()))).toContain("孙悟空");
    expect((await get(url, admin.id)).status).toBe(200);
    expect((await get(url, other.id)).status).toBe(404);
    // The course's own expert is not the holder either.
    expect((await get(url, expert.id)).status).toBe(404);
    const anon = await get(url, null);
    expect(anon.status).toBe(302);
    expect(anon.headers.get("location")).toContain("/login");
    expect((await get(`/certificates/not-a-code/pdf`, learner.id)).status).toBe(404);
    expect((await get(`/certificates/${cert.code}/pdf?lang=fr`, learner.id)).status).toBe(400);

    const list = await (await get("/certificates", learner.id)).text();
    expect(list).toContain("焊接基础");
    expect(list).toContain(`/certificates/${cert.code}/pdf`);
    const otherList = await (await get("/certificates", other.id)).text();
    expect(otherList).not.toContain(cert.code);
  });
});

describe("public verification", () => {
  it("valid: name, what and when without logging in; never an ID number or contact", async () => {
    const learner = await makeUser("learner", "周杰");
    await prisma.user.update({ where: { id: learner.id }, data: { phone: "13912345678", idNumberLast4: "1234" } });
    const { certificate } = await issueCertificate({ userId: learner.id, kind: "competition", titleZh: "省赛", titleEn: "Provincial contest", achievement: "Gold · 812" });
    const res = await get(`/verify/${certificate.code}`, null);
    expect(res.status).toBe(200);
    const html = (await res.text()).replace(/<script[\s\S]*?<\/script>/g, "");
    expect(html).toContain("Valid certificate");
    expect(html).toContain("周杰");
    expect(html).toContain("Provincial contest");
    expect(html).toContain("Gold · 812");
    expect(html).not.toContain("13912345678");
    expect(html).not.toContain(learner.email!);
    expect(html).not.toContain(learner.id);
    // Grouped and lower-case forms work too.
    expect((await get(`/verify/${groupCode(certificate.code).toLowerCase()}`, null)).status).toBe(200);
    // The form redirects a typed code.
    const typed = await get(`/verify?code=${encodeURIComponent(groupCode(certificate.code))}`, null);
    expect(typed.status).toBe(302);
    expect(typed.headers.get("location")).toBe(`/verify/${certificate.code}`);
    expect((await get(`/verify?code=nonsense`, null)).status).toBe(400);
    expect((await get(`/verify`, null)).status).toBe(200);
  });

  it("unknown code 404, malformed 400/404, never 500", async () => {
    const unknown = await get(`/verify/${newCertificateCode()}`, null);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("No certificate has this code.");
    for (const bad of ["x", "%00", "a".repeat(500), "%E2%82%AC%E2%82%AC", "..%2F..%2Fetc"]) {
      const res = await get(`/verify/${bad}`, null);
      // A NUL byte is refused by the server's own guard (400) before the route.
      expect([400, 404], bad).toContain(res.status);
    }
  });

  it("revoked: shows the reason; only an admin may revoke, with an audit entry and a notice to the holder", async () => {
    const holder = await makeUser("learner", "吴磊");
    const admin = await makeUser("admin", "Admin Gao");
    const expert = await makeUser("expert");
    const school = await makeUser("school_admin");
    const { certificate } = await issueCertificate({ userId: holder.id, kind: "competition", titleZh: "市赛", titleEn: "City contest" });
    const form = { intent: "revoke", code: certificate.code, reason: "Result annulled after appeal" };

    for (const who of [holder.id, expert.id, school.id]) expect((await post("/admin/certificates", who, form)).status).toBe(403);
    expect((await post("/admin/certificates", null, form)).status).toBe(302);
    expect((await prisma.certificate.findUniqueOrThrow({ where: { id: certificate.id } })).revokedAt).toBeNull();
    await expect(revokeCertificate(expert, certificate.code, "x")).rejects.toMatchObject({ status: 403 });

    expect((await post("/admin/certificates", admin.id, { ...form, reason: "" })).status).toBe(400);
    expect((await post("/admin/certificates", admin.id, { ...form, code: newCertificateCode() })).status).toBe(404);
    expect((await post("/admin/certificates", admin.id, form)).status).toBe(200);
    expect((await post("/admin/certificates", admin.id, form)).status).toBe(409);

    const after = await prisma.certificate.findUniqueOrThrow({ where: { id: certificate.id } });
    expect(after).toMatchObject({ revokedReason: "Result annulled after appeal", revokedById: admin.id });
    const audit = await prisma.auditEntry.findMany({ where: { action: "certificate.revoke", subjectId: certificate.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: admin.id, reason: "Result annulled after appeal", subjectType: "certificate" });
    expect(await prisma.notification.count({ where: { userId: holder.id, kind: "assessment:certificates.notifyRevoked" } })).toBe(1);

    const page = (await (await get(`/verify/${certificate.code}`, null)).text()).replace(/<script[\s\S]*?<\/script>/g, "");
    expect(page).toContain("Revoked certificate");
    expect(page).toContain("Result annulled after appeal");

    // The admin search finds it by grouped code and by name; non-admins cannot open the page.
    const search = await (await get(`/admin/certificates?q=${encodeURIComponent(groupCode(certificate.code))}`, admin.id)).text();
    expect(search).toContain("吴磊");
    expect((await get(`/admin/certificates`, holder.id)).status).toBe(403);
  });

  it("is rate-limited per address (60 per 15 minutes), other addresses unaffected", async () => {
    const ip = newIp();
    const code = newCertificateCode();
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await get(`/verify/${code}`, null, ip)).status);
    expect(statuses.slice(0, 60).every((s) => s === 404)).toBe(true);
    const throttled = await get(`/verify/${code}`, null, ip);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await get(`/verify/${code}`, null)).status).toBe(404);
  });
});
