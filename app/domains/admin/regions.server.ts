// The county list (Region): codes, names and the designated-poverty-county flag the subsidy
// rules and reports look at. Platform admins edit it and import it from CSV (decision 021).
import { prisma } from "~/domains/db.server";

/** Every county for a choice list (organisation applications, identities). */
export function regionOptions() {
  return prisma.region.findMany({ orderBy: { code: "asc" }, select: { code: true, name: true, nameEn: true, province: true }, take: 5000 });
}
