// Demo availability for the demo expert (expert@skillrelay.test): Beijing time, weekday
// mornings and afternoons plus Saturday morning, two 1:1 types and a group workshop.
// Idempotent: an expert who already has a profile is left as they are.
import type { PrismaClient } from "@prisma/client";

export const DEMO_EXPERT_EMAIL = "expert@skillrelay.test";

export async function seedScheduling(prisma: PrismaClient): Promise<boolean> {
  const expert = await prisma.user.findUnique({ where: { email: DEMO_EXPERT_EMAIL }, select: { id: true, expertProfile: { select: { userId: true } } } });
  if (!expert || expert.expertProfile) return false;
  const weekdays = [1, 2, 3, 4, 5];
  try {
    await prisma.expertProfile.create({
      data: {
        userId: expert.id,
        timeZone: "Asia/Shanghai",
        bufferMinutes: 10,
        minNoticeMinutes: 120,
        maxSessionsPerDay: 6,
        cancelCutoffMinutes: 120,
        verifiedAt: new Date(),
        bio: "焊接世界技能大赛专家，20 年车间经验。WorldSkills welding expert with 20 years in the workshop.",
        competitionRecord: [
          { event: "第45届世界技能大赛（喀山）WorldSkills Kazan", year: 2019, skill: "焊接 Welding", result: "中国队专家 China team expert" },
          { event: "全国职业院校技能大赛 National Vocational Skills Competition", year: 2012, skill: "焊接 Welding", result: "金牌 Gold medal" },
        ],
        rules: {
          create: [
            ...weekdays.map((weekday) => ({ weekday, startMinute: 9 * 60, endMinute: 12 * 60 })),
            ...weekdays.map((weekday) => ({ weekday, startMinute: 14 * 60, endMinute: 18 * 60 })),
            { weekday: 6, startMinute: 9 * 60, endMinute: 12 * 60 },
          ],
        },
        sessionTypes: {
          create: [
            { title: "焊接一对一 Welding 1:1", kind: "one_to_one", durationMinutes: 30 },
            { title: "焊接一对一 Welding 1:1", kind: "one_to_one", durationMinutes: 60 },
            { title: "氩弧焊小组课 TIG group workshop", kind: "group", durationMinutes: 90, capacity: 12 },
          ],
        },
      },
    });
  } catch (err) {
    // Two processes seeding at once: the other one won.
    if ((err as { code?: string }).code === "P2002") return false;
    throw err;
  }
  return true;
}
