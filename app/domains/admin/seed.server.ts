// Demo expert application: a national-contest medallist waiting for a platform admin's
// decision (log in as admin@skillrelay.test, /admin/experts). Idempotent: the applicant and
// their application are created once; once decided, it is left as it is.
import type { PrismaClient } from "@prisma/client";
import { hashPassword } from "../auth/password.server";

export const DEMO_APPLICANT = "applicant@skillrelay.test";
/** Applied for a training centre (/admin/organisations, decision 021); a learner until verified. */
export const DEMO_ORG_APPLICANT = "centre@skillrelay.test";
export const DEMO_PENDING_ORG = "凉山州昭觉县职业技能培训中心";

export async function seedAdmin(prisma: PrismaClient, password: string) {
  await seedOrganisationApplication(prisma, password);
  let applicant = await prisma.user.findUnique({ where: { email: DEMO_APPLICANT }, select: { id: true } });
  if (!applicant) {
    applicant = await prisma.user.upsert({
      where: { email: DEMO_APPLICANT },
      update: {},
      create: { email: DEMO_APPLICANT, name: "陈建华 Chen Jianhua", role: "learner", locale: "zh-CN", passwordHash: await hashPassword(password), emailVerifiedAt: new Date() },
      select: { id: true },
    });
  }
  if (await prisma.expertApplication.count({ where: { userId: applicant.id } })) return;
  await prisma.expertApplication.create({
    data: {
      userId: applicant.id,
      competitionRecord: [
        { event: "第一届全国技能大赛 1st National Skills Competition", year: 2020, skill: "焊接 Welding", result: "金牌 Gold medal" },
        { event: "WorldSkills Shanghai 2022 (China trials)", year: 2021, skill: "焊接 Welding", result: "第二名 2nd place" },
      ],
      currentWork: "四川某技师学院焊接专业教师，带教学生参加省级技能竞赛。Welding teacher at a technician college in Sichuan; coaches students for provincial contests.",
    },
  });
}

/** One pending organisation application; created once, never reset. */
async function seedOrganisationApplication(prisma: PrismaClient, password: string) {
  if (await prisma.user.findUnique({ where: { email: DEMO_ORG_APPLICANT }, select: { id: true } })) return;
  const applicant = await prisma.user.create({
    data: { email: DEMO_ORG_APPLICANT, name: "吉克石布 Jike Shibu", role: "learner", locale: "zh-CN", passwordHash: await hashPassword(password), emailVerifiedAt: new Date() },
    select: { id: true },
  });
  const county = await prisma.region.findUnique({ where: { code: "513431" }, select: { code: true } });
  await prisma.organization.create({
    data: {
      name: DEMO_PENDING_ORG,
      kind: "training_centre",
      appliedAt: new Date(),
      regionCode: county?.code ?? null,
      address: "四川省凉山州昭觉县新城镇建设路 18 号",
      contactName: "吉克石布",
      // A number from the 170 range reserved for the demo (as the demo learners'): reaches nobody.
      contactPhone: "17000000201",
      licenceNumber: "52513431MJ0000000X",
      memberships: { create: { userId: applicant.id, role: "admin" } },
    },
  });
}
