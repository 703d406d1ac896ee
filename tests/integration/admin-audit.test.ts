// The platform audit log (/admin/audit, issue 10) through the real server: admins only,
// filters and paging, ID numbers and phones masked in the page and the CSV, the export audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app";
import { prisma } from "~/domains/db.server";
import { createSessionCookie } from "~/domains/auth/session.server";
import { recordAudit } from "~/domains/audit/audit.server";
import { makeOrg, makeUser } from "./schools-fixtures";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

async function get(userId: string | null, path: string) {
  const cookie = userId ? (await createSessionCookie(userId)).split(";")[0] : "";
  const res = await fetch(server.url + path, { headers: { "Accept-Language": "en", Cookie: cookie }, redirect: "manual" });
  return { status: res.status, location: res.headers.get("location") ?? "", body: await res.text(), type: res.headers.get("content-type") ?? "" };
}

const ID = "513431199001011234";
const PHONE = "13800001234";

describe("/admin/audit", () => {
  it("is refused to visitors, learners, experts and school admins, page and CSV", async () => {
    const { admin: schoolAdmin } = await makeOrg();
    const learner = await makeUser("learner");
    const expert = await makeUser("expert");
    const before = await prisma.auditEntry.count({ where: { action: "audit.export" } });
    for (const path of ["/admin/audit", "/admin/audit.csv"]) {
      const anon = await get(null, path);
      expect(anon.status).toBe(302);
      expect(anon.location).toMatch(/^\/login/);
      for (const u of [learner.id, expert.id, schoolAdmin.id]) {
        const r = await get(u, path);
        expect(r.status).toBe(403);
        expect(r.body).not.toContain("audit.export");
      }
    }
    expect(await prisma.auditEntry.count({ where: { action: "audit.export" } })).toBe(before);
  });

  it("shows every entry to an admin, filtered and paged, with ID numbers and phones masked in HTML and CSV; the export is audited", async () => {
    const admin = await makeUser("admin", "Root Auditor");
    const tag = `t${Date.now()}`;
    // A raw entry as an old version could have left it: unmasked details.
    await prisma.auditEntry.create({
      data: { actorId: admin.id, actorName: `Actor ${tag}`, action: `zz${tag}.raw`, subjectType: "learner", subjectId: "x1", after: { idNumber: ID, phone: PHONE, note: `typed ${ID}` }, reason: `about ${ID}` },
    });
    await recordAudit(prisma, { actor: { id: admin.id, name: `Actor ${tag}` }, action: `zz${tag}.other`, subjectType: "organisation", subjectId: "o1", after: { name: "x" } });
    for (let i = 0; i < 55; i++) await recordAudit(prisma, { actor: null, action: `zz${tag}.bulk`, subjectType: "bulk", subjectId: String(i) });

    const page = await get(admin.id, `/admin/audit?action=zz${tag}.raw`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`zz${tag}.raw`);
    expect(page.body).not.toContain(`zz${tag}.other`);
    expect(page.body).not.toContain(ID);
    expect(page.body).not.toContain(PHONE);
    expect(page.body).toContain("5134**********1234");
    expect(page.body).toContain("138****1234");

    const byType = await get(admin.id, `/admin/audit?actor=${encodeURIComponent(`Actor ${tag}`)}&subjectType=organisation`);
    expect(byType.body).toContain(`zz${tag}.other`);
    expect(byType.body).not.toContain(`zz${tag}.raw`);

    const future = await get(admin.id, `/admin/audit?action=zz${tag}&from=2099-01-01`);
    expect(future.body).toContain("No entries match.");

    const p1 = await get(admin.id, `/admin/audit?action=zz${tag}.bulk`);
    expect(p1.body).toContain("55 entries");
    expect(p1.body).toContain("Page 1 of 2");
    const p2 = await get(admin.id, `/admin/audit?action=zz${tag}.bulk&page=2`);
    expect(p2.body).toContain("Page 2 of 2");
    expect((p2.body.match(/bulk [0-9]+</g) ?? []).length).toBe(5);

    expect((await get(admin.id, "/admin/audit?from=yesterday")).status).toBe(400);
    expect((await get(admin.id, "/admin/audit?page=-1")).status).toBe(400);

    const csv = await get(admin.id, `/admin/audit.csv?action=zz${tag}.raw`);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain("text/csv");
    expect(csv.body).toContain(`zz${tag}.raw`);
    expect(csv.body).not.toContain(ID);
    expect(csv.body).not.toContain(PHONE);
    expect(csv.body).toContain("5134**********1234");
    const exported = await prisma.auditEntry.findFirst({ where: { action: "audit.export", actorId: admin.id }, orderBy: { at: "desc" } });
    expect(exported?.after).toMatchObject({ rows: 1, filter: { action: `zz${tag}.raw` } });

    const home = await get(admin.id, "/admin");
    expect(home.body).toContain('href="/admin/audit"');
  });
});
