// The county list (Region): codes, names and the designated-poverty-county flag the subsidy
// rules and reports look at. Platform admins edit it and import it from CSV; every change is
// audited (decision 021). Nothing is deleted: learners' identities and articles refer to codes.
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import { recordAudit } from "~/domains/audit/audit.server";
import type { AuthUser } from "~/domains/auth/roles";
import type { RegionRow } from "./regions-csv";

export class RegionError extends Error {
  constructor(public code: "not_found" | "exists") {
    super(code);
  }
}

/** Every county for a choice list (organisation applications, identities). */
export function regionOptions() {
  return prisma.region.findMany({ orderBy: { code: "asc" }, select: { code: true, name: true, nameEn: true, province: true }, take: 5000 });
}

export async function listRegions(filter: { q?: string; poverty?: boolean }, take = 500) {
  const q = filter.q?.trim();
  const where: Prisma.RegionWhereInput = {
    ...(filter.poverty ? { povertyCounty: true } : {}),
    ...(q ? { OR: [{ code: { startsWith: q } }, { name: { contains: q } }, { nameEn: { contains: q, mode: "insensitive" } }, { province: { contains: q } }] } : {}),
  };
  const [regions, matching, total] = await Promise.all([prisma.region.findMany({ where, orderBy: { code: "asc" }, take }), prisma.region.count({ where }), prisma.region.count()]);
  return { regions, matching, total };
}

const fieldsOf = (r: { name: string; nameEn: string; province: string; povertyCounty: boolean }) => ({ name: r.name, nameEn: r.nameEn, province: r.province, povertyCounty: r.povertyCounty });

export async function updateRegion(admin: AuthUser, code: string, input: Omit<RegionRow, "code">) {
  await prisma.$transaction(async (tx) => {
    const before = await tx.region.findUnique({ where: { code } });
    if (!before) throw new RegionError("not_found");
    await tx.region.update({ where: { code }, data: fieldsOf(input) });
    await recordAudit(tx, { actor: admin, action: "region.update", subjectType: "region", subjectId: code, before: fieldsOf(before), after: fieldsOf(input) });
  });
}

export async function createRegion(admin: AuthUser, input: RegionRow) {
  await prisma.$transaction(async (tx) => {
    if (await tx.region.findUnique({ where: { code: input.code }, select: { code: true } })) throw new RegionError("exists");
    await tx.region.create({ data: { code: input.code, ...fieldsOf(input) } });
    await recordAudit(tx, { actor: admin, action: "region.create", subjectType: "region", subjectId: input.code, after: fieldsOf(input) });
  });
}

const same = (a: Omit<RegionRow, "code">, b: Omit<RegionRow, "code">) => a.name === b.name && a.nameEn === b.nameEn && a.province === b.province && a.povertyCounty === b.povertyCounty;

/** What importing the rows would do: new codes, changed ones, unchanged ones. */
export async function planRegionImport(rows: RegionRow[], db: Prisma.TransactionClient = prisma) {
  const existing = new Map((await db.region.findMany({ where: { code: { in: rows.map((r) => r.code) } } })).map((r) => [r.code, r]));
  const created = rows.filter((r) => !existing.has(r.code));
  const updated = rows.filter((r) => existing.has(r.code) && !same(fieldsOf(existing.get(r.code)!), r));
  return { created, updated, same: rows.length - created.length - updated.length, existing };
}

/** Applies a checked file in one transaction (all rows or none) with one audit entry. */
export async function applyRegionImport(admin: AuthUser, rows: RegionRow[]) {
  return prisma.$transaction(
    async (tx) => {
      const plan = await planRegionImport(rows, tx);
      if (plan.created.length) await tx.region.createMany({ data: plan.created.map((r) => ({ code: r.code, ...fieldsOf(r) })) });
      for (const r of plan.updated) await tx.region.update({ where: { code: r.code }, data: fieldsOf(r) });
      await recordAudit(tx, {
        actor: admin,
        action: "region.import",
        subjectType: "region",
        subjectId: "csv",
        after: {
          rows: rows.length,
          created: plan.created.map((r) => r.code).slice(0, 500),
          updated: plan.updated.slice(0, 500).map((r) => ({ code: r.code, before: fieldsOf(plan.existing.get(r.code)!), after: fieldsOf(r) })),
        },
      });
      return { created: plan.created.length, updated: plan.updated.length };
    },
    { timeout: 60_000 },
  );
}
