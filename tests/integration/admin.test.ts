// Platform administration (issue 10) through the real server: only platform admins reach
// /admin and its actions; role changes, disabling and expert decisions are audited in the
// same transaction; a disabled account loses its sessions and cannot log in; applicants are notified.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app";
import { prisma } from "~/domains/db.server";
import { checkCredentials, createSessionCookie, validateCookieHeader } from "~/domains/auth/session.server";
import { onAccessChange, type AccessChange } from "~/domains/auth/events.server";
import { hashPassword } from "~/domains/auth/password.server";
import { searchUsers } from "~/domains/admin/users.server";
import { resolveImportTarget } from "~/domains/schools/import.server";
import { makeOrg, makeUser } from "./schools-fixtures";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

async function cookieOf(userId: string | null) {
  return userId ? (await createSessionCookie(userId)).split(";")[0] : "";
}

async function call(userId: string | null, method: "GET" | "POST", path: string, body: Record<string, string | string[]> = {}) {
  const headers: Record<string, string> = { "Accept-Language": "en", Cookie: await cookieOf(userId) };
  let payload: URLSearchParams | undefined;
  if (method === "POST") {
    headers.Origin = server.url;
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams();
    for (const [k, v] of Object.entries(body)) for (const x of [v].flat()) payload.append(k, x);
  }
  const res = await fetch(server.url + path, { method, headers, body: payload, redirect: "manual" });
  return { status: res.status, location: res.headers.get("location") ?? "", body: await res.text() };
}

const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), Buffer.alloc(64)]);
type Scan = { bytes: Uint8Array; name: string; type: string };
const pdfScan: Scan = { bytes: PDF, name: "worldskills-certificate.pdf", type: "application/pdf" };

/** POSTs /experts/apply as the browser does: multipart, text fields first, then the scans. */
async function applyExpert(userId: string | null, body: Record<string, string | string[]>, files: Scan[] = [pdfScan]) {
  const form = new FormData();
  for (const [k, v] of Object.entries(body)) for (const x of [v].flat()) form.append(k, x);
  for (const f of files) form.append("file", new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.type }), f.name);
  const res = await fetch(server.url + "/experts/apply", { method: "POST", headers: { "Accept-Language": "en", Cookie: await cookieOf(userId), Origin: server.url }, body: form, redirect: "manual" });
  return { status: res.status, location: res.headers.get("location") ?? "", body: await res.text() };
}

async function outsiders() {
  const { admin: schoolAdmin } = await makeOrg();
  return { learner: (await makeUser("learner")).id, expert: (await makeUser("expert")).id, schoolAdmin: schoolAdmin.id };
}

function expectRefused(answer: { status: number; location: string }, anonymous: boolean) {
  if (anonymous) {
    expect(answer.status).toBe(302);
    expect(answer.location).toMatch(/^\/login/);
  } else expect(answer.status).toBe(403);
}

const record = { event: ["WorldSkills Competition", ""], year: ["2019", ""], skill: ["Welding", ""], result: ["Gold medal", ""], currentWork: "Welding instructor, Lanzhou technician college" };

describe("who may administer", () => {
  it("learners, experts, school admins and visitors are refused every admin page and action; nothing changes", async () => {
    const victim = await makeUser("learner", "Victim");
    const app = await prisma.expertApplication.create({ data: { userId: victim.id, currentWork: "x", competitionRecord: [] } });
    const who = await outsiders();
    const attempts: [string, "GET" | "POST", Record<string, string>][] = [
      ["/admin", "GET", {}],
      ["/admin/users", "GET", {}],
      ["/admin/users", "POST", { intent: "role", userId: victim.id, role: "admin" }],
      ["/admin/users", "POST", { intent: "disable", userId: victim.id }],
      ["/admin/users", "POST", { intent: "enable", userId: victim.id }],
      ["/admin/experts", "GET", {}],
      [`/admin/experts/${app.id}`, "GET", {}],
      [`/admin/experts/${app.id}`, "POST", { intent: "approve" }],
      [`/admin/experts/${app.id}`, "POST", { intent: "reject", reason: "no" }],
    ];
    for (const [path, method, body] of attempts) {
      for (const userId of [null, who.learner, who.expert, who.schoolAdmin]) {
        expectRefused(await call(userId, method, path, body), userId === null);
      }
    }
    expect(await prisma.user.findUniqueOrThrow({ where: { id: victim.id } })).toMatchObject({ role: "learner", disabledAt: null });
    expect((await prisma.expertApplication.findUniqueOrThrow({ where: { id: app.id } })).status).toBe("pending");
    expect(await prisma.auditEntry.count({ where: { subjectId: { in: [victim.id, app.id] } } })).toBe(0);
  });

  it("an admin sees the pages; the user list masks phones", async () => {
    const admin = await makeUser("admin", "Root");
    await makeUser("learner", "Phone Person", { phone: "13912345678" });
    for (const path of ["/admin", "/admin/users", "/admin/experts"]) expect((await call(admin.id, "GET", path)).status).toBe(200);
    const page = await call(admin.id, "GET", "/admin/users?q=Phone%20Person");
    expect(page.body).toContain("Phone Person");
    expect(page.body).not.toContain("13912345678");
    const [row] = await searchUsers({ q: "Phone Person" });
    expect(row.phone).toBe("139****5678");
    expect((await call(admin.id, "GET", "/admin/users?role=wizard")).status).toBe(400);
    expect((await call(admin.id, "GET", "/admin/experts/not%00an-id")).status).toBe(400);
    expect((await call(admin.id, "GET", "/admin/experts/nosuchapplication")).status).toBe(404);
  });
});

describe("users", () => {
  it("changes a role with an audit entry; refuses the admin's own account", async () => {
    const admin = await makeUser("admin");
    const user = await makeUser("learner");
    const res = await call(admin.id, "POST", "/admin/users", { intent: "role", userId: user.id, role: "school_admin" });
    expect(res.status).toBe(200);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("school_admin");
    const entry = await prisma.auditEntry.findFirstOrThrow({ where: { action: "user.role", subjectId: user.id } });
    expect(entry).toMatchObject({ actorId: admin.id, before: { role: "learner" }, after: { role: "school_admin" } });

    expect((await call(admin.id, "POST", "/admin/users", { intent: "role", userId: admin.id, role: "learner" })).status).toBe(403);
    expect((await call(admin.id, "POST", "/admin/users", { intent: "disable", userId: admin.id })).status).toBe(403);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("admin");
    expect((await call(admin.id, "POST", "/admin/users", { intent: "role", userId: "nosuchuser", role: "expert" })).status).toBe(404);
    expect((await call(admin.id, "POST", "/admin/users", { intent: "role", userId: user.id, role: "wizard" })).status).toBe(400);
  });

  it("disabling ends every session and socket, blocks log-in, and is audited; enabling lets them back", async () => {
    const admin = await makeUser("admin");
    const email = `disable-me-${Date.now()}@skillrelay.test`;
    const user = await prisma.user.create({ data: { name: "Disable Me", email, passwordHash: await hashPassword("a-long-password-1"), role: "learner" } });
    const c1 = await cookieOf(user.id);
    await cookieOf(user.id);
    expect((await validateCookieHeader(c1)).user?.id).toBe(user.id);
    const heard: AccessChange[] = [];
    const stop = onAccessChange((c) => heard.push(c));
    try {
      expect((await call(admin.id, "POST", "/admin/users", { intent: "disable", userId: user.id, reason: "spam" })).status).toBe(200);
    } finally {
      stop();
    }
    expect(heard).toContainEqual({ userId: user.id, reason: "disabled" });
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await validateCookieHeader(c1)).user).toBeNull();
    expect(await checkCredentials(email, "a-long-password-1", "10.9.9.1")).toEqual({ ok: false, reason: "invalid" });
    // A session made some other way (code log-in) is refused too.
    expect((await validateCookieHeader(await cookieOf(user.id))).user).toBeNull();
    expect((await call(user.id, "GET", "/dashboard")).location).toMatch(/^\/login/);
    const entry = await prisma.auditEntry.findFirstOrThrow({ where: { action: "user.disable", subjectId: user.id } });
    expect(entry).toMatchObject({ actorId: admin.id, reason: "spam" });
    expect((await call(admin.id, "POST", "/admin/users", { intent: "disable", userId: user.id })).status).toBe(409);

    expect((await call(admin.id, "POST", "/admin/users", { intent: "enable", userId: user.id })).status).toBe(200);
    expect(await prisma.auditEntry.count({ where: { action: "user.enable", subjectId: user.id } })).toBe(1);
    expect((await checkCredentials(email, "a-long-password-1", "10.9.9.2")).ok).toBe(true);
  });
});

describe("expert applications", () => {
  it("a learner applies, the admin approves: expert role, verified profile with the record, notice, audit", async () => {
    const admin = await makeUser("admin");
    const applicant = await makeUser("learner", "Applicant Ma");
    // Incomplete forms are 400 and create nothing.
    expect((await applyExpert(applicant.id, { event: "", currentWork: "" })).status).toBe(400);
    expect((await applyExpert(applicant.id, { ...record, year: ["1800", ""] })).status).toBe(400);
    const sent = await applyExpert(applicant.id, record);
    expect(sent.status).toBe(302);
    expect((await applyExpert(applicant.id, record)).status).toBe(409);
    const app = await prisma.expertApplication.findFirstOrThrow({ where: { userId: applicant.id } });
    expect(app.competitionRecord).toEqual([{ event: "WorldSkills Competition", year: 2019, skill: "Welding", result: "Gold medal" }]);
    expect((await applyExpert(null, record)).location).toMatch(/^\/login/);

    const list = await call(admin.id, "GET", "/admin/experts");
    expect(list.body).toContain("Applicant Ma");
    expect((await call(admin.id, "GET", `/admin/experts/${app.id}`)).body).toContain("WorldSkills Competition");
    // The applicant cannot open their own review page or decide it.
    expect((await call(applicant.id, "POST", `/admin/experts/${app.id}`, { intent: "approve" })).status).toBe(403);

    expect((await call(applicant.id, "GET", "/schedule/availability")).status).toBe(403);
    const decided = await call(admin.id, "POST", `/admin/experts/${app.id}`, { intent: "approve" });
    expect(decided.status).toBe(302);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: applicant.id } })).role).toBe("expert");
    const profile = await prisma.expertProfile.findUniqueOrThrow({ where: { userId: applicant.id } });
    expect(profile.verifiedAt).not.toBeNull();
    expect(profile.competitionRecord).toEqual(app.competitionRecord);
    expect(await prisma.expertApplication.findUniqueOrThrow({ where: { id: app.id } })).toMatchObject({ status: "approved", decidedById: admin.id });
    expect(await prisma.notification.findFirst({ where: { userId: applicant.id, kind: "expertApproved" } })).not.toBeNull();
    expect(await prisma.auditEntry.findFirst({ where: { action: "expert.approve", subjectId: app.id, actorId: admin.id } })).not.toBeNull();
    expect((await call(applicant.id, "GET", "/schedule/availability")).status).toBe(200);
    // A visitor sees the approved record on the public profile, and its latest line on /experts.
    const profilePage = await call(null, "GET", `/experts/${applicant.id}`);
    expect(profilePage.status).toBe(200);
    expect(profilePage.body).toMatch(/Competition record[\s\S]*WorldSkills Competition[\s\S]*2019[\s\S]*Welding[\s\S]*Gold medal/);
    const listPage = await call(null, "GET", "/experts");
    expect(listPage.body).toMatch(/data-testid="expert-highlight"[^>]*>[\s\S]{0,400}Gold medal · WorldSkills Competition 2019/);
    // A second decision is refused.
    expect((await call(admin.id, "POST", `/admin/experts/${app.id}`, { intent: "reject", reason: "late" })).status).toBe(409);
  });

  it("rejection needs a reason; the applicant is told it and may apply again", async () => {
    const admin = await makeUser("admin");
    const applicant = await makeUser("learner");
    await applyExpert(applicant.id, record);
    const app = await prisma.expertApplication.findFirstOrThrow({ where: { userId: applicant.id } });
    expect((await call(admin.id, "POST", `/admin/experts/${app.id}`, { intent: "reject", reason: "  " })).status).toBe(400);
    expect((await call(admin.id, "POST", `/admin/experts/${app.id}`, { intent: "reject", reason: "Please add a certificate" })).status).toBe(302);
    expect(await prisma.expertApplication.findUniqueOrThrow({ where: { id: app.id } })).toMatchObject({ status: "rejected", reason: "Please add a certificate" });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: applicant.id } })).role).toBe("learner");
    const notice = await prisma.notification.findFirstOrThrow({ where: { userId: applicant.id, kind: "expertRejected" } });
    expect(notice.body).toContain("Please add a certificate");
    expect(await prisma.auditEntry.findFirst({ where: { action: "expert.reject", subjectId: app.id, reason: "Please add a certificate" } })).not.toBeNull();
    const page = await call(applicant.id, "GET", "/experts/apply");
    expect(page.body).toContain("Please add a certificate");
    expect((await applyExpert(applicant.id, record)).status).toBe(302);
  });

  it("certificate scans: 1 to 5 PDF/JPEG/PNG/WebP files, stored with the application; only the applicant and admins read them", async () => {
    const admin = await makeUser("admin");
    const applicant = await makeUser("learner", "Scan Applicant");
    const other = await makeUser("learner");
    const expert = await makeUser("expert");
    // No scan, six scans, a disguised executable: refused, nothing stored, the typed answers come back.
    const before = await prisma.asset.count({ where: { ownerId: applicant.id } });
    const none = await applyExpert(applicant.id, record, []);
    expect(none.status).toBe(400);
    expect(none.body).toContain("Attach at least one certificate scan");
    expect(none.body).toContain("Lanzhou technician college");
    const six = await applyExpert(applicant.id, record, Array.from({ length: 6 }, () => pdfScan));
    expect(six.status).toBe(400);
    const bad = await applyExpert(applicant.id, record, [pdfScan, { bytes: new TextEncoder().encode("MZ\x90\x00 not a scan"), name: "medal.png", type: "image/png" }]);
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("Scans must be PDF, JPEG, PNG or WebP files");
    // Everything typed is given back in the form.
    expect(bad.body).toContain('value="WorldSkills Competition"');
    expect(bad.body).toContain('value="Gold medal"');
    expect(bad.body).toContain("Welding instructor, Lanzhou technician college</textarea>");
    expect(await prisma.expertApplication.count({ where: { userId: applicant.id } })).toBe(0);
    expect(await prisma.asset.count({ where: { ownerId: applicant.id } })).toBe(before);
    // Too large (over 10 MB): refused with 413, the answers kept.
    const big = await applyExpert(applicant.id, record, [{ bytes: Buffer.concat([Buffer.from(PDF), Buffer.alloc(10 * 1024 * 1024)]), name: "huge.pdf", type: "application/pdf" }]);
    expect(big.status).toBe(413);
    expect(big.body).toContain("A scan is too large");
    expect(big.body).toContain('value="WorldSkills Competition"');
    expect(await prisma.asset.count({ where: { ownerId: applicant.id } })).toBe(before);

    const sent = await applyExpert(applicant.id, record, [pdfScan, { bytes: PNG, name: "medal-photo.png", type: "image/png" }]);
    expect(sent.status).toBe(302);
    const app = await prisma.expertApplication.findFirstOrThrow({ where: { userId: applicant.id }, include: { documents: true } });
    expect(app.documents.map((d) => [d.originalName, d.mimeType, d.ownerId]).sort()).toEqual([
      ["medal-photo.png", "image/png", applicant.id],
      ["worldskills-certificate.pdf", "application/pdf", applicant.id],
    ]);
    // The admin's review page links them, with a thumbnail for the photo.
    const review = await call(admin.id, "GET", `/admin/experts/${app.id}`);
    const png = app.documents.find((d) => d.mimeType === "image/png")!;
    const pdf = app.documents.find((d) => d.mimeType === "application/pdf")!;
    expect(review.body).toContain(`href="/media/${pdf.id}"`);
    expect(review.body).toContain(`src="/media/${png.id}"`);
    // Readers: the applicant and admins; another learner, an expert 403; a visitor 401.
    for (const d of app.documents) {
      expect((await call(applicant.id, "GET", `/media/${d.id}`)).status).toBe(200);
      expect((await call(admin.id, "GET", `/media/${d.id}`)).status).toBe(200);
      expect((await call(other.id, "GET", `/media/${d.id}`)).status).toBe(403);
      expect((await call(expert.id, "GET", `/media/${d.id}`)).status).toBe(403);
      expect((await call(null, "GET", `/media/${d.id}`)).status).toBe(401);
    }
    expect((await call(admin.id, "GET", `/media/${pdf.id}`)).body).toContain("%PDF-1.4");
    // Deciding keeps them readable by the same people only.
    await call(admin.id, "POST", `/admin/experts/${app.id}`, { intent: "approve" });
    expect((await call(other.id, "GET", `/media/${pdf.id}`)).status).toBe(403);
    expect((await call(null, "GET", `/media/${pdf.id}`)).status).toBe(401);
    // The pending one: another application of someone else refused with 409 stores nothing.
    const second = await makeUser("learner");
    expect((await applyExpert(second.id, record)).status).toBe(302);
    const count = await prisma.asset.count({ where: { ownerId: second.id } });
    expect((await applyExpert(second.id, record)).status).toBe(409);
    expect(await prisma.asset.count({ where: { ownerId: second.id } })).toBe(count);
  });

  it("applications are rate-limited per account", async () => {
    const applicant = await makeUser("learner");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await applyExpert(applicant.id, record)).status);
    expect(statuses[0]).toBe(302);
    expect(statuses.slice(1, 5).every((s) => s === 409)).toBe(true);
    expect(statuses[5]).toBe(429);
  });
});

describe("organisations", () => {
  it("only admins verify or reject; an unverified organisation cannot import; its admins are notified; audited", async () => {
    const admin = await makeUser("admin");
    const who = await outsiders();
    const schoolAdmin = await makeUser("school_admin");
    const org = await prisma.organization.create({ data: { name: "Unverified College", memberships: { create: { userId: schoolAdmin.id, role: "admin" } } } });
    for (const userId of [null, who.learner, who.expert, who.schoolAdmin, schoolAdmin.id]) {
      expectRefused(await call(userId, "GET", "/admin/organisations"), userId === null);
      expectRefused(await call(userId, "POST", "/admin/organisations", { intent: "verify", orgId: org.id }), userId === null);
    }
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: org.id } })).verifiedAt).toBeNull();

    await expect(resolveImportTarget(schoolAdmin, org.id, null)).rejects.toMatchObject({ status: 403 });
    const importPage = await call(schoolAdmin.id, "GET", "/school/import");
    expect(importPage.body).toContain('data-testid="import-unverified"');

    expect((await call(admin.id, "POST", "/admin/organisations", { intent: "reject", orgId: org.id, reason: "" })).status).toBe(400);
    expect((await call(admin.id, "POST", "/admin/organisations", { intent: "reject", orgId: org.id, reason: "Licence missing" })).status).toBe(200);
    expect(await prisma.organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({ verifiedAt: null, rejectionReason: "Licence missing" });
    expect((await prisma.notification.findFirstOrThrow({ where: { userId: schoolAdmin.id, kind: "orgRejected" } })).body).toContain("Licence missing");
    expect(await prisma.auditEntry.findFirst({ where: { action: "org.reject", subjectId: org.id, orgId: org.id, reason: "Licence missing" } })).not.toBeNull();

    expect((await call(admin.id, "POST", "/admin/organisations", { intent: "verify", orgId: org.id })).status).toBe(200);
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: org.id } })).verifiedAt).not.toBeNull();
    expect(await prisma.notification.findFirst({ where: { userId: schoolAdmin.id, kind: "orgVerified" } })).not.toBeNull();
    expect(await prisma.auditEntry.findFirst({ where: { action: "org.verify", subjectId: org.id, actorId: admin.id } })).not.toBeNull();
    expect((await resolveImportTarget(schoolAdmin, org.id, null)).orgId).toBe(org.id);
    expect((await call(admin.id, "POST", "/admin/organisations", { intent: "verify", orgId: org.id })).status).toBe(409);
    expect((await call(admin.id, "POST", "/admin/organisations", { intent: "verify", orgId: "nosuchorg" })).status).toBe(404);
  });
});
