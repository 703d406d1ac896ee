// Priority groups (PriorityGroup): the groups a learner can be flagged as (registered poor
// household, families affected by the epidemic, …) on the identity form, in the subsidy export
// and the reports. Platform admins rename, reorder, add and retire them; the key is fixed once
// made (learners' priorityKeys and past exports carry it), so a group is retired (no longer
// offered on the identity form) rather than deleted. Audited.
import { prisma } from "~/domains/db.server";
import { recordAudit } from "~/domains/audit/audit.server";
import type { AuthUser } from "~/domains/auth/roles";

export class PriorityGroupError extends Error {
  constructor(public code: "not_found" | "exists") {
    super(code);
  }
}

export async function listPriorityGroupsWithCounts() {
  const [groups, counts] = await Promise.all([
    prisma.priorityGroup.findMany({ orderBy: [{ sortOrder: "asc" }, { key: "asc" }] }),
    prisma.$queryRaw<{ key: string; n: bigint }[]>`SELECT unnest("priorityKeys") AS key, count(*) AS n FROM "LearnerIdentity" GROUP BY 1`,
  ]);
  const byKey = new Map(counts.map((c) => [c.key, Number(c.n)]));
  return groups.map((g) => ({ ...g, learners: byKey.get(g.key) ?? 0 }));
}

type Fields = { nameZh: string; nameEn: string; sortOrder: number; active: boolean };

export async function updatePriorityGroup(admin: AuthUser, key: string, input: Fields) {
  await prisma.$transaction(async (tx) => {
    const before = await tx.priorityGroup.findUnique({ where: { key } });
    if (!before) throw new PriorityGroupError("not_found");
    await tx.priorityGroup.update({ where: { key }, data: input });
    await recordAudit(tx, {
      actor: admin,
      action: "priorityGroup.update",
      subjectType: "priorityGroup",
      subjectId: key,
      before: { nameZh: before.nameZh, nameEn: before.nameEn, sortOrder: before.sortOrder, active: before.active },
      after: input,
    });
  });
}

export async function createPriorityGroup(admin: AuthUser, input: Omit<Fields, "active"> & { key: string }) {
  await prisma.$transaction(async (tx) => {
    if (await tx.priorityGroup.findUnique({ where: { key: input.key }, select: { key: true } })) throw new PriorityGroupError("exists");
    await tx.priorityGroup.create({ data: input });
    await recordAudit(tx, { actor: admin, action: "priorityGroup.create", subjectType: "priorityGroup", subjectId: input.key, after: input });
  });
}
