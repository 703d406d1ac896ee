// /admin/regions, /admin/skills and /admin/priority-groups (issues 10 and 12, decision 021) through the real server: only platform admins see
// and change the county list; edits and imports are audited; a CSV with any bad row saves
// nothing; a checked file is applied only on confirmation, sealed for the admin who checked it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app";
import { prisma } from "~/domains/db.server";
import { createSessionCookie } from "~/domains/auth/session.server";
import { makeOrg, makeUser } from "./schools-fixtures";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

const cookieOf = async (userId: string | null) => (userId ? (await createSessionCookie(userId)).split(";")[0] : "");

async function post(userId: string | null, body: Record<string, string>) {
  const res = await fetch(`${server.url}/admin/regions`, {
    method: "POST",
    headers: { "Accept-Language": "en", Cookie: await cookieOf(userId), Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body),
    redirect: "manual",
  });
  return { status: res.status, location: res.headers.get("location") ?? "", body: await res.text() };
}

async function upload(userId: string | null, csv: string) {
  const form = new FormData();
  form.append("file", new Blob([csv], { type: "text/csv" }), "regions.csv");
  const res = await fetch(`${server.url}/admin/regions`, { method: "POST", headers: { "Accept-Language": "en", Cookie: await cookieOf(userId), Origin: server.url }, body: form, redirect: "manual" });
  return { status: res.status, location: res.headers.get("location") ?? "", body: await res.text() };
}

/** The sealed file of a preview page (the confirmation form's hidden field). */
const sealedOf = (html: string) => /name="sealed" value="([^"]+)"/.exec(html)?.[1] ?? null;

describe("/admin/regions", () => {
  it("nobody but platform admins sees or changes the list", async () => {
    const { admin: schoolAdmin } = await makeOrg();
    const who = [null, (await makeUser("learner")).id, (await makeUser("expert")).id, schoolAdmin.id];
    const before = await prisma.region.findUniqueOrThrow({ where: { code: "513432" } });
    for (const userId of who) {
      const page = await fetch(`${server.url}/admin/regions`, { headers: { Cookie: await cookieOf(userId) }, redirect: "manual" });
      const answers = [page.status, (await post(userId, { intent: "update", code: "513432", name: "Taken", poverty: "" })).status, (await post(userId, { intent: "create", code: "999991", name: "New" })).status, (await upload(userId, "code,name\n999992,x\n")).status];
      for (const s of answers) expect(s).toBe(userId ? 403 : 302);
    }
    expect(await prisma.region.findUniqueOrThrow({ where: { code: "513432" } })).toEqual(before);
    expect(await prisma.region.count({ where: { code: { in: ["999991", "999992"] } } })).toBe(0);
    expect(await prisma.auditEntry.count({ where: { subjectType: "region" } })).toBe(0);
  });

  it("an admin edits a county's names and poverty flag and adds one; audited; bad input is a 400", async () => {
    const admin = await makeUser("admin");
    const page = await fetch(`${server.url}/admin/regions?q=5134&poverty=1`, { headers: { Cookie: await cookieOf(admin.id), "Accept-Language": "en" } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("513431");
    expect(html).not.toContain("621121");

    expect((await post(admin.id, { intent: "update", code: "513434", name: "越西县", nameEn: "Yuexi", province: "四川省" })).status).toBe(200);
    const edited = await prisma.region.findUniqueOrThrow({ where: { code: "513434" } });
    expect(edited).toMatchObject({ nameEn: "Yuexi", povertyCounty: false });
    const entry = await prisma.auditEntry.findFirstOrThrow({ where: { action: "region.update", subjectId: "513434", actorId: admin.id } });
    expect(entry.before).toMatchObject({ povertyCounty: true });
    expect(entry.after).toMatchObject({ povertyCounty: false, nameEn: "Yuexi" });

    expect((await post(admin.id, { intent: "create", code: "513499", name: "测试县", poverty: "1" })).status).toBe(200);
    expect(await prisma.region.findUniqueOrThrow({ where: { code: "513499" } })).toMatchObject({ name: "测试县", povertyCounty: true });
    expect(await prisma.auditEntry.count({ where: { action: "region.create", subjectId: "513499" } })).toBe(1);
    expect((await post(admin.id, { intent: "create", code: "513499", name: "again" })).status).toBe(409);
    expect((await post(admin.id, { intent: "update", code: "000001", name: "x" })).status).toBe(404);
    for (const bad of [{ intent: "update", code: "51343", name: "x" }, { intent: "update", code: "513431", name: "" }, { intent: "update", code: "513431", name: "a\u0000" }, { intent: "nope" }, {}]) {
      expect((await post(admin.id, bad as Record<string, string>)).status, JSON.stringify(bad)).toBe(400);
    }
  });

  it("a CSV with any bad row saves nothing; a good one is previewed, then applied on confirmation only by its admin", async () => {
    const admin = await makeUser("admin");
    const bad = await upload(admin.id, "code,name,nameEn,province,poverty\n513498,新县,New County,四川省,1\n12345,坏,,,1\n");
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('data-testid="region-preview"');
    expect(bad.body).toContain("The code must be 6 digits.");
    expect(sealedOf(bad.body)).toBeNull();
    expect(await prisma.region.count({ where: { code: "513498" } })).toBe(0);

    const good = await upload(admin.id, "code,name,nameEn,province,poverty\n513498,新县,New County,四川省,1\n513432,喜德县,Xide County,四川省,0\n513431,昭觉县,Zhaojue County,四川省,1\n");
    expect(good.status).toBe(200);
    expect(good.body).toContain("1 new, 1 changed, 1 unchanged");
    const sealed = sealedOf(good.body)!;
    expect(sealed).toBeTruthy();
    // Checking saved nothing.
    expect(await prisma.region.count({ where: { code: "513498" } })).toBe(0);
    // Another admin cannot apply this admin's sealed file; a tampered one is refused.
    const other = await makeUser("admin");
    expect((await post(other.id, { intent: "apply", sealed })).status).toBe(400);
    expect((await post(admin.id, { intent: "apply", sealed: sealed.slice(0, -4) + "AAAA" })).status).toBe(400);
    expect(await prisma.region.count({ where: { code: "513498" } })).toBe(0);

    const applied = await post(admin.id, { intent: "apply", sealed });
    expect(applied.status).toBe(200);
    expect(applied.body).toContain("Imported: 1 new, 1 changed.");
    expect(await prisma.region.findUniqueOrThrow({ where: { code: "513498" } })).toMatchObject({ name: "新县", povertyCounty: true, province: "四川省" });
    expect((await prisma.region.findUniqueOrThrow({ where: { code: "513432" } })).povertyCounty).toBe(false);
    const entry = await prisma.auditEntry.findFirstOrThrow({ where: { action: "region.import", actorId: admin.id } });
    expect(entry.after).toMatchObject({ rows: 3, created: ["513498"], updated: [{ code: "513432", before: { povertyCounty: true }, after: { povertyCounty: false } }] });
    // The same file again changes nothing.
    expect((await upload(admin.id, "code,name,nameEn,province,poverty\n513498,新县,New County,四川省,1\n")).body).toContain("0 new, 0 changed, 1 unchanged");
    // Malformed uploads: never a 5xx.
    expect((await upload(admin.id, "")).status).toBe(400);
  });
});

describe("/admin/skills", () => {
  async function postSkills(userId: string | null, body: Record<string, string>) {
    const res = await fetch(`${server.url}/admin/skills`, {
      method: "POST",
      headers: { "Accept-Language": "en", Cookie: await cookieOf(userId), Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body),
      redirect: "manual",
    });
    return res.status;
  }

  it("only platform admins rename, reorder and add categories; audited; codes are unique and well-formed", async () => {
    const category = await prisma.skillCategory.create({ data: { slug: `cnc-${Date.now()}`, nameEn: "CNC", nameZh: "数控" } });
    const { admin: schoolAdmin } = await makeOrg();
    for (const userId of [null, (await makeUser("learner")).id, (await makeUser("expert")).id, schoolAdmin.id]) {
      const page = await fetch(`${server.url}/admin/skills`, { headers: { Cookie: await cookieOf(userId) }, redirect: "manual" });
      expect(page.status).toBe(userId ? 403 : 302);
      expect(await postSkills(userId, { intent: "update", id: category.id, nameZh: "x", nameEn: "x" })).toBe(userId ? 403 : 302);
      expect(await postSkills(userId, { intent: "create", slug: "intruder", nameZh: "x", nameEn: "x" })).toBe(userId ? 403 : 302);
    }
    expect(await prisma.skillCategory.findUniqueOrThrow({ where: { id: category.id } })).toMatchObject({ nameEn: "CNC" });
    expect(await prisma.skillCategory.count({ where: { slug: "intruder" } })).toBe(0);

    const admin = await makeUser("admin");
    const page = await fetch(`${server.url}/admin/skills`, { headers: { Cookie: await cookieOf(admin.id) } });
    expect(await page.text()).toContain(category.slug);
    expect(await postSkills(admin.id, { intent: "update", id: category.id, nameZh: "数控加工", nameEn: "CNC machining", sortOrder: "3" })).toBe(200);
    expect(await prisma.skillCategory.findUniqueOrThrow({ where: { id: category.id } })).toMatchObject({ nameZh: "数控加工", nameEn: "CNC machining", sortOrder: 3, slug: category.slug });
    expect(await prisma.auditEntry.count({ where: { action: "skill.update", subjectId: category.id, actorId: admin.id } })).toBe(1);
    expect(await postSkills(admin.id, { intent: "create", slug: "industrial-robotics-test", nameZh: "工业机器人", nameEn: "Industrial robotics" })).toBe(200);
    expect(await prisma.auditEntry.count({ where: { action: "skill.create", actorId: admin.id } })).toBe(1);
    expect(await postSkills(admin.id, { intent: "create", slug: "industrial-robotics-test", nameZh: "x", nameEn: "x" })).toBe(409);
    expect(await postSkills(admin.id, { intent: "update", id: "nosuchcategory", nameZh: "x", nameEn: "x" })).toBe(404);
    for (const bad of [{ intent: "create", slug: "Bad Code", nameZh: "x", nameEn: "x" }, { intent: "create", slug: "ok-code", nameZh: "", nameEn: "x" }, { intent: "update", id: category.id, nameZh: "x", nameEn: "x", sortOrder: "-1" }, { intent: "delete" }, {}]) {
      expect(await postSkills(admin.id, bad as Record<string, string>), JSON.stringify(bad)).toBe(400);
    }
  });
});

describe("/admin/priority-groups", () => {
  async function postGroups(userId: string | null, body: Record<string, string>) {
    const res = await fetch(`${server.url}/admin/priority-groups`, {
      method: "POST",
      headers: { "Accept-Language": "en", Cookie: await cookieOf(userId), Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body),
      redirect: "manual",
    });
    return res.status;
  }

  it("only platform admins rename, retire and add groups; audited; a retired group stays with the learners in it", async () => {
    const { org, admin: schoolAdmin } = await makeOrg();
    for (const userId of [null, (await makeUser("learner")).id, (await makeUser("expert")).id, schoolAdmin.id]) {
      const page = await fetch(`${server.url}/admin/priority-groups`, { headers: { Cookie: await cookieOf(userId) }, redirect: "manual" });
      expect(page.status).toBe(userId ? 403 : 302);
      expect(await postGroups(userId, { intent: "update", id: "poor_household", nameZh: "x", nameEn: "x", active: "on" })).toBe(userId ? 403 : 302);
      expect(await postGroups(userId, { intent: "create", key: "intruder", nameZh: "x", nameEn: "x" })).toBe(userId ? 403 : 302);
    }
    expect(await prisma.priorityGroup.findUniqueOrThrow({ where: { key: "poor_household" } })).toMatchObject({ nameEn: "Registered poor household", active: true });
    expect(await prisma.priorityGroup.count({ where: { key: "intruder" } })).toBe(0);

    const admin = await makeUser("admin");
    expect(await postGroups(admin.id, { intent: "create", key: "veteran_family", nameZh: "退役军人家庭", nameEn: "Veteran's family", sortOrder: "50" })).toBe(200);
    expect(await prisma.priorityGroup.findUniqueOrThrow({ where: { key: "veteran_family" } })).toMatchObject({ nameZh: "退役军人家庭", active: true, sortOrder: 50 });
    expect(await prisma.auditEntry.count({ where: { action: "priorityGroup.create", subjectId: "veteran_family", actorId: admin.id } })).toBe(1);
    expect(await postGroups(admin.id, { intent: "create", key: "veteran_family", nameZh: "x", nameEn: "x" })).toBe(409);

    // A learner of the school in the new group; then the group is retired (no "active" box).
    const learner = await makeUser("learner");
    await prisma.membership.create({ data: { orgId: org.id, userId: learner.id, role: "learner" } });
    await prisma.learnerIdentity.create({ data: { userId: learner.id, legalName: "Retired Group Learner", priorityKeys: ["veteran_family"] } });
    const listed = await (await fetch(`${server.url}/admin/priority-groups`, { headers: { Cookie: await cookieOf(admin.id), "Accept-Language": "en" } })).text();
    expect(listed).toContain("veteran_family");
    expect(await postGroups(admin.id, { intent: "update", id: "veteran_family", nameZh: "退役军人家庭", nameEn: "Veteran family", sortOrder: "50" })).toBe(200);
    expect(await prisma.priorityGroup.findUniqueOrThrow({ where: { key: "veteran_family" } })).toMatchObject({ active: false, nameEn: "Veteran family" });
    const change = await prisma.auditEntry.findFirstOrThrow({ where: { action: "priorityGroup.update", subjectId: "veteran_family" } });
    expect(change.before).toMatchObject({ active: true });
    expect(change.after).toMatchObject({ active: false });

    // The identity form still shows the retired group for the learner already in it, and no other learner is offered it.
    const identityOf = async (learnerId: string) =>
      (await fetch(`${server.url}/school/learners/${learnerId}/identity`, { headers: { Cookie: await cookieOf(schoolAdmin.id), "Accept-Language": "en" } })).text();
    expect(await identityOf(learner.id)).toContain("veteran_family");
    const other = await makeUser("learner");
    await prisma.membership.create({ data: { orgId: org.id, userId: other.id, role: "learner" } });
    const otherPage = await identityOf(other.id);
    expect(otherPage).toContain("poor_household");
    expect(otherPage).not.toContain("veteran_family");

    expect(await postGroups(admin.id, { intent: "update", id: "no_such_group", nameZh: "x", nameEn: "x" })).toBe(404);
    for (const bad of [{ intent: "create", key: "Bad-Key", nameZh: "x", nameEn: "x" }, { intent: "create", key: "ok_key", nameZh: "", nameEn: "x" }, { intent: "update", id: "poor_household", nameZh: "x", nameEn: "x", active: "yes" }, { intent: "delete" }, {}]) {
      expect(await postGroups(admin.id, bad as Record<string, string>), JSON.stringify(bad)).toBe(400);
    }
  });
});

describe("an oversized county file", () => {
  // Last in the file: the server closes the connection on a 413 while the client still sends.
  it("is refused without a 5xx and saves nothing", async () => {
    const admin = await makeUser("admin");
    const big = await upload(admin.id, "code,name\n" + "513497,x\n" + "513431,x\n".repeat(300_000));
    expect([400, 413]).toContain(big.status);
    expect(await prisma.region.count({ where: { code: "513497" } })).toBe(0);
  });
});
