// Demo accounts, one per role (passwords in the README). Idempotent: existing users are
// left as they are. Run by the server at start-up and by `npm run db:seed`.
import { seedAssessment, seedCompetitions } from "../app/domains/assessment/seed.server";
import type { PrismaClient } from "@prisma/client";
import { hashPassword } from "../app/domains/auth/password.server";
import type { Role } from "../app/domains/auth/roles";
import { seedCourses } from "../app/domains/courses/seed.server";
import { seedSchools } from "../app/domains/schools/seed.server";
import { seedScheduling } from "../app/domains/scheduling/seed.server";
import { seedAdmin } from "../app/domains/admin/seed.server";
import { seedContent } from "../app/domains/content/seed.server";
import { seedRecords } from "../app/domains/records/seed.server";

export const DEMO_PASSWORD = "skillrelay-demo";

export const DEMO_USERS: { email: string; name: string; role: Role; locale: string }[] = [
  { email: "learner@skillrelay.test", name: "李明 Li Ming", role: "learner", locale: "zh-CN" },
  { email: "expert@skillrelay.test", name: "王师傅 Wang Jun", role: "expert", locale: "zh-CN" },
  { email: "school@skillrelay.test", name: "张老师 Zhang Hua", role: "school_admin", locale: "zh-CN" },
  { email: "admin@skillrelay.test", name: "Platform Admin", role: "admin", locale: "en" },
];

/** Demo accounts, then the demo catalogue; returns the number of demo users created. */
export async function seedDemoData(prisma: PrismaClient) {
  const created = await seedAccounts(prisma);
  await seedCourses(prisma, DEMO_PASSWORD);
  await seedAssessment(prisma);
  await seedSchools(prisma);
  await seedCompetitions(prisma);
  await seedScheduling(prisma);
  await seedRecords(prisma);
  await seedAdmin(prisma, DEMO_PASSWORD);
  await seedContent(prisma);
  return created;
}

async function seedAccounts(prisma: PrismaClient) {
  const existing = new Set(
    (await prisma.user.findMany({ where: { email: { in: DEMO_USERS.map((u) => u.email) } }, select: { email: true } })).map(
      (u) => u.email,
    ),
  );
  const missing = DEMO_USERS.filter((u) => !existing.has(u.email));
  if (missing.length === 0) return 0;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  // Demo addresses count as proven (a school may match them).
  const emailVerifiedAt = new Date();
  await prisma.user.createMany({ data: missing.map((u) => ({ ...u, passwordHash, emailVerifiedAt })), skipDuplicates: true });
  return missing.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { PrismaClient } = await import("@prisma/client");
  const { PrismaPg } = await import("@prisma/adapter-pg");
  if (!process.env.DATABASE_URL) {
    console.error("Set DATABASE_URL (the server seeds the embedded database itself at start-up).");
    process.exit(1);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });
  console.log(`created ${await seedDemoData(prisma)} demo users`);
  await prisma.$disconnect();
}
