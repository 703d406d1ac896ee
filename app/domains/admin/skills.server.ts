// Skill categories (SkillCategory): the list courses are filed under and the catalogue filters
// by. Platform admins rename, reorder and add them; the code (slug) is fixed once made, since
// catalogue links (?category=<code>) carry it; none is deleted while courses use it. Audited.
import { prisma } from "~/domains/db.server";
import { recordAudit } from "~/domains/audit/audit.server";
import type { AuthUser } from "~/domains/auth/roles";

export class SkillError extends Error {
  constructor(public code: "not_found" | "exists") {
    super(code);
  }
}

export function listSkillCategories() {
  return prisma.skillCategory.findMany({ orderBy: [{ sortOrder: "asc" }, { slug: "asc" }], include: { _count: { select: { courses: true } } } });
}

type Fields = { nameZh: string; nameEn: string; sortOrder: number };

export async function updateSkillCategory(admin: AuthUser, id: string, input: Fields) {
  await prisma.$transaction(async (tx) => {
    const before = await tx.skillCategory.findUnique({ where: { id } });
    if (!before) throw new SkillError("not_found");
    await tx.skillCategory.update({ where: { id }, data: input });
    await recordAudit(tx, {
      actor: admin,
      action: "skill.update",
      subjectType: "skillCategory",
      subjectId: id,
      before: { nameZh: before.nameZh, nameEn: before.nameEn, sortOrder: before.sortOrder },
      after: input,
    });
  });
}

export async function createSkillCategory(admin: AuthUser, input: Fields & { slug: string }) {
  await prisma.$transaction(async (tx) => {
    if (await tx.skillCategory.findUnique({ where: { slug: input.slug }, select: { id: true } })) throw new SkillError("exists");
    const created = await tx.skillCategory.create({ data: input });
    await recordAudit(tx, { actor: admin, action: "skill.create", subjectType: "skillCategory", subjectId: created.id, after: input });
  });
}
