// Demo expert application: a national-contest medallist waiting for a platform admin's
// decision (log in as admin@skillrelay.test, /admin/experts). Idempotent: the applicant and
// their application are created once; once decided, it is left as it is.
import type { PrismaClient } from "@prisma/client";
import { hashPassword } from "../auth/password.server";

export const DEMO_APPLICANT = "applicant@skillrelay.test";

export async function seedAdmin(prisma: PrismaClient, password: string) {
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
