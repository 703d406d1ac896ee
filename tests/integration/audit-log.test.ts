import { describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { listAudit, maskPersonalData, recordAudit } from "~/domains/audit/audit.server";

describe("audit log", () => {
  it("masks ID numbers and phones, whatever the key, and drops stored ID forms", () => {
    const masked = maskPersonalData({
      idNumber: "513431199001011234",
      note: "changed 513431199001011234 by hand",
      phone: "13800001234",
      idNumberCipher: "v1:abc",
      nested: [{ legalIdNumber: "110105198001011239" }],
    }) as Record<string, unknown>;
    const text = JSON.stringify(masked);
    expect(text).not.toContain("513431199001011234");
    expect(text).not.toContain("110105198001011239");
    expect(text).not.toContain("13800001234");
    expect(text).not.toContain("idNumberCipher");
    expect(masked.idNumber).toBe("5134**********1234");
    expect(masked.phone).toBe("138****1234");
  });

  it("is append-only: UPDATE and DELETE change nothing", async () => {
    const entry = await recordAudit(prisma, {
      actor: { id: "u1", name: "Admin" },
      orgId: "org-a",
      action: "test.change",
      subjectType: "user",
      subjectId: "u2",
      before: { role: "learner" },
      after: { role: "expert" },
    });
    await expect(prisma.auditEntry.update({ where: { id: entry.id }, data: { reason: "rewrite" } })).rejects.toThrow();
    await expect(prisma.auditEntry.delete({ where: { id: entry.id } })).rejects.toThrow();
    expect(await prisma.$executeRawUnsafe(`UPDATE "AuditEntry" SET "reason" = 'x'`)).toBe(0);
    expect(await prisma.$executeRawUnsafe(`DELETE FROM "AuditEntry"`)).toBe(0);
    const kept = await prisma.auditEntry.findUniqueOrThrow({ where: { id: entry.id } });
    expect(kept.reason).toBeNull();
    expect(kept.after).toEqual({ role: "expert" });
  });

  it("scopes a school admin's view to their organisations", async () => {
    await recordAudit(prisma, { actor: null, orgId: "org-b", action: "test.other", subjectType: "user", subjectId: "x" });
    const own = await listAudit(prisma, { orgIds: ["org-a"] });
    expect(own.every((e) => e.orgId === "org-a")).toBe(true);
    expect(own.length).toBeGreaterThan(0);
    expect(await listAudit(prisma, { orgIds: [] })).toEqual([]);
    // A filter naming another organisation cannot widen the scope.
    expect(await listAudit(prisma, { orgIds: ["org-a"] }, { orgId: "org-b" })).toEqual([]);
    const all = await listAudit(prisma, { orgIds: "all" });
    expect(all.some((e) => e.orgId === "org-b")).toBe(true);
  });

  it("starts with the reference lists: counties with codes and priority groups", async () => {
    expect(await prisma.region.count({ where: { povertyCounty: true } })).toBeGreaterThan(10);
    expect(await prisma.priorityGroup.findUnique({ where: { key: "poor_household" } })).not.toBeNull();
  });
});
