// Organisation applications (issue 10, decision 021) through the real server: anyone signed
// in who may run an organisation applies at /schools/apply (multipart, optional licence scan);
// only platform admins see the review pages (the full phone only on the detail page) and
// decide; decisions notify the applicant, promote them to school admin and are audited; an
// unverified organisation cannot import, create subsidy programmes or export claims.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app";
import { prisma } from "~/domains/db.server";
import { createSessionCookie } from "~/domains/auth/session.server";
import { resolveImportTarget } from "~/domains/schools/import.server";
import { makeCohort, makeOrg, makeUser } from "./schools-fixtures";

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

type Answer = { status: number; location: string; body: string };

async function call(userId: string | null, method: "GET" | "POST", path: string, body: Record<string, string> = {}): Promise<Answer> {
  const headers: Record<string, string> = { "Accept-Language": "en", Cookie: await cookieOf(userId) };
  let payload: URLSearchParams | undefined;
  if (method === "POST") {
    headers.Origin = server.url;
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams(body);
  }
  const res = await fetch(server.url + path, { method, headers, body: payload, redirect: "manual" });
  return { status: res.status, location: res.headers.get("location") ?? "", body: await res.text() };
}

const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

async function apply(userId: string | null, fields: Record<string, string>, file?: { bytes: Uint8Array; name: string; type: string }): Promise<Answer> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append("file", new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }), file.name);
  const res = await fetch(server.url + "/schools/apply", { method: "POST", headers: { "Accept-Language": "en", Cookie: await cookieOf(userId), Origin: server.url }, body: form, redirect: "manual" });
  return { status: res.status, location: res.headers.get("location") ?? "", body: await res.text() };
}

let n = 0;
const details = () => ({
  name: `Zhaojue Welding Training Centre ${++n}`,
  kind: "training_centre",
  regionCode: "513431",
  address: "18 Jianshe Road, Xincheng, Zhaojue",
  contactName: "Jike Shibu",
  contactPhone: "+86 139-1234-5678",
  licenceNumber: "52513431mj0000000x",
});

describe("applying at /schools/apply", () => {
  it("visitors see how it works and are sent to log in to apply; experts and platform admins cannot apply", async () => {
    const page = await call(null, "GET", "/schools/apply");
    expect(page.status).toBe(200);
    expect(page.body).toContain('href="/login?redirectTo=%2Fschools%2Fapply"');
    expect(page.body).not.toContain('data-testid="org-apply-form"');
    const anon = await apply(null, details());
    expect(anon.status).toBe(302);
    expect(anon.location).toMatch(/^\/login/);
    for (const role of ["expert", "admin"] as const) {
      const user = await makeUser(role);
      expect((await call(user.id, "GET", "/schools/apply")).body).not.toContain('data-testid="org-apply-form"');
      expect((await apply(user.id, details())).status).toBe(403);
      expect(await prisma.membership.count({ where: { userId: user.id } })).toBe(0);
    }
  });

  it("a learner applies with a licence scan; the organisation waits unverified; one pending application at a time; bad input saves nothing", async () => {
    const learner = await makeUser("learner");
    expect((await call(learner.id, "GET", "/schools/apply")).body).toContain('data-testid="org-apply-form"');

    // Malformed bodies and fields: 400, nothing stored.
    expect((await call(learner.id, "POST", "/schools/apply", { name: "x" })).status).toBe(400);
    for (const bad of [{ contactPhone: "12345" }, { regionCode: "999999" }, { regionCode: "abc" }, { licenceNumber: "!!" }, { kind: "castle" }, { name: "" }, { address: "a\u0000b" }]) {
      expect((await apply(learner.id, { ...details(), ...bad })).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await apply(learner.id, details(), { bytes: new TextEncoder().encode("MZ not a pdf"), name: "licence.pdf", type: "application/pdf" })).status).toBe(400);
    expect(await prisma.membership.count({ where: { userId: learner.id } })).toBe(0);
    expect(await prisma.asset.count({ where: { ownerId: learner.id } })).toBe(0);

    const input = details();
    const sent = await apply(learner.id, input, { bytes: PDF, name: "licence.pdf", type: "application/pdf" });
    expect(sent.status).toBe(302);
    expect(sent.location).toBe("/schools/apply?sent=1");
    const org = await prisma.organization.findFirstOrThrow({ where: { name: input.name }, include: { memberships: true, document: true } });
    expect(org).toMatchObject({ kind: "training_centre", verifiedAt: null, rejectedAt: null, regionCode: "513431", contactPhone: "13912345678", licenceNumber: "52513431MJ0000000X" });
    expect(org.appliedAt).not.toBeNull();
    expect(org.memberships).toEqual([expect.objectContaining({ userId: learner.id, role: "admin" })]);
    expect(org.document).toMatchObject({ ownerId: learner.id, mimeType: "application/pdf" });
    // Still a learner until verified.
    expect((await prisma.user.findUniqueOrThrow({ where: { id: learner.id } })).role).toBe("learner");
    const audit = await prisma.auditEntry.findFirstOrThrow({ where: { action: "org.apply", subjectId: org.id, actorId: learner.id, orgId: org.id } });
    expect(JSON.stringify(audit)).not.toContain("13912345678");
    expect(JSON.stringify(audit)).not.toContain("52513431MJ");

    const mine = await call(learner.id, "GET", "/schools/apply");
    expect(mine.body).toContain('data-testid="my-organisations"');
    expect(mine.body).toContain(input.name);
    expect(mine.body).not.toContain('data-testid="org-apply-form"');
    expect((await apply(learner.id, details())).status).toBe(409);
    expect(await prisma.membership.count({ where: { userId: learner.id } })).toBe(1);
    // The scan: the applicant and platform admins, nobody else.
    const other = await makeUser("school_admin");
    expect((await call(other.id, "GET", `/media/${org.documentId}`)).status).toBe(403);
    expect((await call(learner.id, "GET", `/media/${org.documentId}`)).status).toBe(200);
  });

  it("applications are rate-limited per account", async () => {
    const learner = await makeUser("learner");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await apply(learner.id, details())).status);
    expect(statuses[0]).toBe(302);
    expect(statuses.slice(1, 5)).toEqual([409, 409, 409, 409]);
    expect(statuses[5]).toBe(429);
  });
});

describe("reviewing organisations", () => {
  it("only platform admins see the list and the review page; the phone is masked except on the review page", async () => {
    const learner = await makeUser("learner");
    const input = details();
    expect((await apply(learner.id, input)).status).toBe(302);
    const org = await prisma.organization.findFirstOrThrow({ where: { name: input.name } });
    const { admin: otherSchool } = await makeOrg();
    const expert = await makeUser("expert");
    for (const userId of [null, learner.id, expert.id, otherSchool.id]) {
      for (const [method, path, body] of [
        ["GET", `/admin/organisations/${org.id}`, {}],
        ["POST", `/admin/organisations/${org.id}`, { intent: "verify" }],
        ["POST", `/admin/organisations/${org.id}`, { intent: "reject", reason: "no" }],
        ["GET", "/admin/organisations?state=pending", {}],
      ] as const) {
        const answer = await call(userId, method, path, body);
        if (userId === null) expect(answer.location).toMatch(/^\/login/);
        else expect(answer.status).toBe(403);
        expect(answer.body).not.toContain("13912345678");
      }
    }
    expect(await prisma.organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({ verifiedAt: null, rejectedAt: null });
    expect(await prisma.auditEntry.count({ where: { subjectId: org.id, action: { in: ["org.verify", "org.reject"] } } })).toBe(0);

    const admin = await makeUser("admin");
    const list = await call(admin.id, "GET", "/admin/organisations?state=pending");
    expect(list.status).toBe(200);
    expect(list.body).toContain(input.name);
    expect(list.body).toContain("139****5678");
    expect(list.body).not.toContain("13912345678");
    expect((await call(admin.id, "GET", "/admin/organisations?state=verified")).body).not.toContain(input.name);
    expect((await call(admin.id, "GET", "/admin/organisations?state=castle")).status).toBe(400);
    const review = await call(admin.id, "GET", `/admin/organisations/${org.id}`);
    expect(review.status).toBe(200);
    expect(review.body).toContain("13912345678");
    expect(review.body).toContain("52513431MJ0000000X");
    expect(review.body).toContain("Zhaojue");
    expect((await call(admin.id, "GET", "/admin/organisations/nosuchorg")).status).toBe(404);
    expect((await call(admin.id, "POST", "/admin/organisations/nosuchorg", { intent: "verify" })).status).toBe(404);
  });

  it("reject with a reason (the applicant may apply again), then verify: the applicant becomes a school admin and can import; notified and audited", async () => {
    const learner = await makeUser("learner");
    const input = details();
    expect((await apply(learner.id, input)).status).toBe(302);
    const org = await prisma.organization.findFirstOrThrow({ where: { name: input.name } });
    const admin = await makeUser("admin");

    expect((await call(admin.id, "POST", `/admin/organisations/${org.id}`, { intent: "reject", reason: " " })).status).toBe(400);
    // The organisation is the one in the URL, whatever the form says.
    const decoy = (await makeOrg()).org;
    expect((await call(admin.id, "POST", `/admin/organisations/${org.id}`, { intent: "reject", reason: "Licence scan unreadable", orgId: decoy.id })).status).toBe(200);
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: decoy.id } })).rejectedAt).toBeNull();
    expect(await prisma.organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({ verifiedAt: null, rejectionReason: "Licence scan unreadable" });
    const rejected = await prisma.notification.findFirstOrThrow({ where: { userId: learner.id, kind: "orgRejected" } });
    expect(rejected).toMatchObject({ url: "/schools/apply" });
    expect(rejected.body).toContain("Licence scan unreadable");
    expect(await prisma.auditEntry.findFirst({ where: { action: "org.reject", subjectId: org.id, actorId: admin.id, reason: "Licence scan unreadable" } })).not.toBeNull();
    const mine = await call(learner.id, "GET", "/schools/apply");
    expect(mine.body).toContain("Licence scan unreadable");
    expect(mine.body).toContain('data-testid="org-apply-form"');
    expect((await call(admin.id, "GET", "/admin/organisations?state=rejected")).body).toContain(input.name);

    expect((await call(admin.id, "POST", `/admin/organisations/${org.id}`, { intent: "verify" })).status).toBe(200);
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: org.id } })).verifiedAt).not.toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: learner.id } })).role).toBe("school_admin");
    expect(await prisma.notification.findFirst({ where: { userId: learner.id, kind: "orgVerified" } })).not.toBeNull();
    expect(await prisma.auditEntry.findFirst({ where: { action: "org.verify", subjectId: org.id, actorId: admin.id, orgId: org.id } })).not.toBeNull();
    expect((await resolveImportTarget({ id: learner.id, role: "school_admin" }, org.id, null)).orgId).toBe(org.id);
    expect((await call(admin.id, "POST", `/admin/organisations/${org.id}`, { intent: "verify" })).status).toBe(409);
  });
});

describe("only verified organisations import or claim subsidies", () => {
  it("an unverified organisation is refused with a message in the reader's language; verified, it may", async () => {
    const schoolAdmin = await makeUser("school_admin");
    const org = await prisma.organization.create({ data: { name: "Pending College", memberships: { create: { userId: schoolAdmin.id, role: "admin" } } } });
    const cohort = await makeCohort(org.id);
    const programme = await prisma.trainingProgramme.create({ data: { orgId: org.id, cohortId: cohort.id, title: "Welding basics", startDate: "2026-01-01", endDate: "2026-06-30" } });

    const form = { title: "Claim", occupation: "", kind: "pre_employment", cohortId: cohort.id, startDate: "2026-01-01", endDate: "2026-03-01", subsidyPerLearner: "0", subsidyPerHour: "0", livingPerDay: "0", minMinutesPerDay: "120", lessonMinutes: "10" };
    const create = await call(schoolAdmin.id, "POST", "/school/programmes", form);
    expect(create.status).toBe(400);
    expect(create.body).toContain("not verified yet");
    expect(await prisma.trainingProgramme.count({ where: { orgId: org.id } })).toBe(1);

    for (const ext of ["csv", "xlsx"]) {
      const res = await call(schoolAdmin.id, "GET", `/school/programmes/${programme.id}/export.${ext}`);
      expect(res.status).toBe(403);
      expect(res.body).toContain("not verified yet");
    }
    const zh = await fetch(`${server.url}/school/programmes/${programme.id}/export.csv`, { headers: { "Accept-Language": "zh-CN", Cookie: await cookieOf(schoolAdmin.id) } });
    expect(zh.status).toBe(403);
    expect(await zh.text()).toContain("尚未通过平台认证");
    expect(await prisma.auditEntry.count({ where: { action: "records.export_full_id", subjectId: programme.id } })).toBe(0);
    expect((await call(schoolAdmin.id, "GET", `/school/programmes/${programme.id}`)).body).toContain('data-testid="programme-unverified"');
    // The import: the error page says why, in the reader's language.
    const importPost = await call(schoolAdmin.id, "POST", "/school/import", { target: `org:${org.id}`, sealed: "x", intent: "apply" });
    expect(importPost.status).toBe(403);
    expect(importPost.body).toMatch(/not verified yet|尚未通过平台认证/);

    await prisma.organization.update({ where: { id: org.id }, data: { verifiedAt: new Date() } });
    expect((await call(schoolAdmin.id, "GET", `/school/programmes/${programme.id}/export.csv`)).status).toBe(200);
    const created = await call(schoolAdmin.id, "POST", "/school/programmes", form);
    expect(created.status).toBe(302);
    expect((await call(schoolAdmin.id, "GET", `/school/programmes/${programme.id}`)).body).not.toContain('data-testid="programme-unverified"');
  });
});
