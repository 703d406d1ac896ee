// Demo training programme: the demo school's welding class on its assigned courses, with
// subsidy standards, its ledger built from the seeded progress. Idempotent (found by title);
// run after the school seed. The ledger is rebuilt only when the programme is created.
import type { PrismaClient } from "@prisma/client";
import { addDays } from "../scheduling/tz";
import { DEMO_WELDING_CLASS } from "../schools/seed.server";
import { dayOf } from "./ledger";
import { rebuildLedger } from "./programmes.server";

export const DEMO_PROGRAMME_TITLE = "焊工就业技能培训 2026 Welder pre-employment training";

export async function seedRecords(prisma: PrismaClient, now = new Date()) {
  const cohort = await prisma.cohort.findFirst({
    where: { name: DEMO_WELDING_CLASS, org: { verifiedAt: { not: null } } },
    select: { id: true, orgId: true, assignments: { select: { courseId: true } } },
  });
  if (!cohort || cohort.assignments.length === 0) return { programmeCreated: false };
  if (await prisma.trainingProgramme.findFirst({ where: { orgId: cohort.orgId, title: DEMO_PROGRAMME_TITLE }, select: { id: true } })) {
    return { programmeCreated: false };
  }
  const today = dayOf(now);
  const programme = await prisma.trainingProgramme.create({
    data: {
      orgId: cohort.orgId,
      cohortId: cohort.id,
      title: DEMO_PROGRAMME_TITLE,
      occupation: "焊工 Welder",
      kind: "pre_employment",
      startDate: addDays(today, -60),
      endDate: addDays(today, 120),
      // Amounts in fen: 800 yuan per learner, 15 yuan per hour, 30 yuan per day attended.
      subsidyPerLearner: 80_000,
      subsidyPerHour: 1_500,
      livingPerDay: 3_000,
      minMinutesPerDay: 60,
      lessonMinutes: 20,
      courses: { create: cohort.assignments.map((a) => ({ courseId: a.courseId })) },
    },
  });
  await rebuildLedger(programme.id);
  return { programmeCreated: true };
}
