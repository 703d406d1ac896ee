// Demo school: a technical college in Liangshan (Sichuan) with its admin (the demo school
// account), two classes of learners, courses assigned with due dates and some progress.
// Idempotent: run it at every start-up; what exists is left as it is. Run after the course
// seed (it assigns up to two published courses, the oldest first).
import type { PrismaClient } from "@prisma/client";
import { hashPassword } from "../auth/password.server";
import { protectIdNumber } from "../records/identity.server";
import { checkCharacter, identityFromIdNumber } from "../records/id-number";
import { ensureInvitations, NO_PASSWORD } from "./invitations.server";

export const DEMO_SCHOOL_NAME = "凉山技师学院 Liangshan Technical College";
export const DEMO_SCHOOL_ADMIN = "school@skillrelay.test";
export const DEMO_LEARNER = "learner@skillrelay.test";
const DEMO_PASSWORD = "skillrelay-demo";
export const DEMO_WELDING_CLASS = "2025级焊接技术1班";
const COHORTS = [DEMO_WELDING_CLASS, "2025级电气安装2班"];

// Yi and Han names, as in a Liangshan college's enrolment list. Phone numbers are in the
// 170 virtual-operator range with a fixed demo prefix; ID numbers are generated (valid
// checksum, Liangshan region codes) and belong to nobody.
const LEARNERS: Array<{ name: string; phone: string; email?: string; region: string; born: string; activated: boolean }> = [
  { name: "吉克阿依", phone: "17000000101", region: "513431", born: "20060314", activated: true },
  { name: "阿苏拉哈", phone: "17000000102", region: "513432", born: "20050821", activated: true, email: "asu.laha@learners.skillrelay.test" },
  { name: "沙马伍各", phone: "17000000103", region: "513433", born: "20061107", activated: true },
  { name: "海来木呷", phone: "17000000104", region: "513401", born: "20050202", activated: false },
  { name: "曲比阿果", phone: "17000000105", region: "513431", born: "20070519", activated: true },
  { name: "马海日哈", phone: "17000000106", region: "513436", born: "20041230", activated: true, email: "mahai.riha@learners.skillrelay.test" },
  { name: "俄木石且", phone: "17000000107", region: "513432", born: "20060918", activated: false },
  { name: "吉色拉则", phone: "17000000108", region: "513437", born: "20050711", activated: true },
  { name: "阿说克布", phone: "17000000109", region: "513430", born: "20061025", activated: true },
  { name: "王建国", phone: "17000000110", region: "513401", born: "20050403", activated: true, email: "wang.jianguo@learners.skillrelay.test" },
  { name: "勒尔古尔", phone: "17000000111", region: "513433", born: "20060106", activated: true },
  { name: "李娟", phone: "17000000112", region: "513401", born: "20041119", activated: true, email: "li.juan@learners.skillrelay.test" },
  { name: "张伟", phone: "17000000113", region: "513422", born: "20050830", activated: false },
  { name: "刘洋", phone: "17000000114", region: "513423", born: "20060227", activated: true },
  { name: "陈静", phone: "17000000115", region: "513401", born: "20050615", activated: true, email: "chen.jing@learners.skillrelay.test" },
  { name: "杨帆", phone: "17000000116", region: "513425", born: "20061203", activated: true },
  { name: "赵丽", phone: "17000000117", region: "513426", born: "20050912", activated: false },
  { name: "黄磊", phone: "17000000118", region: "513427", born: "20060408", activated: true },
  { name: "周敏", phone: "17000000119", region: "513428", born: "20041021", activated: true },
  { name: "蒋志强", phone: "17000000120", region: "513429", born: "20060729", activated: true },
];

function demoIdNumber(region: string, born: string, index: number) {
  const first17 = `${region}${born}${String(100 + index).padStart(3, "0")}`;
  return first17 + checkCharacter(first17);
}

const DAY = 86_400_000;

/**
 * Real-name records of the demo learners (only those without one): legal name, gender and
 * birth date from the ID number, county where it is in the region list, some priority groups;
 * the first eight verified by the demo school admin against the identity card.
 */
async function seedIdentities(prisma: PrismaClient, learnerIds: string[], adminId: string | null, now: Date) {
  const have = new Set((await prisma.learnerIdentity.findMany({ where: { userId: { in: learnerIds } }, select: { userId: true } })).map((i) => i.userId));
  const admin = adminId ? await prisma.user.findUnique({ where: { id: adminId }, select: { name: true } }) : null;
  const regions = new Map((await prisma.region.findMany({ where: { code: { in: LEARNERS.map((l) => l.region) } }, select: { code: true, povertyCounty: true } })).map((r) => [r.code, r]));
  const rows = LEARNERS.flatMap((l, i) => {
    const userId = learnerIds[i];
    const derived = identityFromIdNumber(demoIdNumber(l.region, l.born, i), now);
    if (have.has(userId) || !derived) return [];
    const region = regions.get(l.region);
    const priorityKeys = [...(i % 3 === 0 ? ["poor_household"] : []), ...(region?.povertyCounty ? ["poverty_county"] : []), ...(i === 4 ? ["epidemic_family"] : [])];
    const verified = i < 8 && admin;
    return [
      {
        userId,
        legalName: l.name,
        gender: derived.gender,
        birthDate: derived.birthDate,
        countyCode: region ? l.region : null,
        priorityKeys,
        verifiedAt: verified ? now : null,
        verifiedById: verified ? adminId : null,
        verifiedByName: verified ? admin.name : "",
        verifiedDocument: verified ? "id_card" : "",
      },
    ];
  });
  if (rows.length) await prisma.learnerIdentity.createMany({ data: rows, skipDuplicates: true });
}

/** End of a day N days from now at UTC+08:00 (how schools set due dates). */
function dueInDays(days: number, now: Date) {
  const local = new Date(now.getTime() + 8 * 3_600_000 + days * DAY).toISOString().slice(0, 10);
  return new Date(`${local}T23:59:59.999+08:00`);
}

export async function seedSchools(prisma: PrismaClient, now = new Date()) {
  let org = await prisma.organization.findFirst({ where: { name: DEMO_SCHOOL_NAME } });
  org ??= await prisma.organization.create({ data: { name: DEMO_SCHOOL_NAME, kind: "school", verifiedAt: now } });

  const admin = await prisma.user.findUnique({ where: { email: DEMO_SCHOOL_ADMIN }, select: { id: true } });
  if (admin) {
    await prisma.membership.upsert({
      where: { orgId_userId: { orgId: org.id, userId: admin.id } },
      create: { orgId: org.id, userId: admin.id, role: "admin" },
      update: {},
    });
  }

  const cohorts: Array<{ id: string }> = [];
  for (const name of COHORTS) {
    cohorts.push(await prisma.cohort.upsert({ where: { orgId_name: { orgId: org.id, name } }, create: { orgId: org.id, name }, update: {} }));
  }

  // Learners: found by phone (the identifier every imported learner has), created when missing.
  const existing = await prisma.user.findMany({ where: { phone: { in: LEARNERS.map((l) => l.phone) } }, select: { id: true, phone: true } });
  const idByPhone = new Map(existing.map((u) => [u.phone!, u.id]));
  let created = 0;
  if (idByPhone.size < LEARNERS.length) {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    for (const [i, l] of LEARNERS.entries()) {
      if (idByPhone.has(l.phone)) continue;
      const user = await prisma.user.create({
        data: {
          name: l.name,
          phone: l.phone,
          email: l.email ?? null,
          // Seeded learners count as proven (a school may match them).
          phoneVerifiedAt: new Date(),
          emailVerifiedAt: l.email ? new Date() : null,
          role: "learner",
          locale: "zh-CN",
          passwordHash: l.activated ? passwordHash : NO_PASSWORD,
          createdByOrgId: org.id,
          ...protectIdNumber(demoIdNumber(l.region, l.born, i)),
        },
        select: { id: true },
      });
      idByPhone.set(l.phone, user.id);
      created++;
    }
  }
  const learnerIds = LEARNERS.map((l) => idByPhone.get(l.phone)!);
  await seedIdentities(prisma, learnerIds, admin?.id ?? null, now);
  const demoLearner = await prisma.user.findUnique({ where: { email: DEMO_LEARNER }, select: { id: true } });

  const cohortMembers: Array<{ cohortId: string; userId: string }> = learnerIds.map((userId, i) => ({
    cohortId: cohorts[i < 10 ? 0 : 1].id,
    userId,
  }));
  if (demoLearner) cohortMembers.push({ cohortId: cohorts[0].id, userId: demoLearner.id });
  const allIds = cohortMembers.map((m) => m.userId);
  await prisma.membership.createMany({ data: allIds.map((userId) => ({ orgId: org.id, userId, role: "learner" as const })), skipDuplicates: true });
  await prisma.cohortMember.createMany({ data: cohortMembers, skipDuplicates: true });
  await ensureInvitations(prisma, org.id, allIds, now);

  // Up to two published courses, oldest first: class 1 has both (the first due in three
  // weeks, the second in six); class 2 has the first, due three days ago.
  const courses = await prisma.course.findMany({
    where: { status: "published" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 2,
    select: { id: true, modules: { orderBy: { position: "asc" }, select: { lessons: { orderBy: { position: "asc" }, select: { id: true } } } } },
  });
  const plan: Array<{ cohortId: string; courseIndex: number; dueDays: number }> = [
    { cohortId: cohorts[0].id, courseIndex: 0, dueDays: 21 },
    { cohortId: cohorts[0].id, courseIndex: 1, dueDays: 42 },
    { cohortId: cohorts[1].id, courseIndex: 0, dueDays: -3 },
  ];
  let assignments = 0;
  for (const p of plan) {
    const course = courses[p.courseIndex];
    if (!course) continue;
    await prisma.assignment.upsert({
      where: { cohortId_courseId: { cohortId: p.cohortId, courseId: course.id } },
      create: { cohortId: p.cohortId, courseId: course.id, dueAt: dueInDays(p.dueDays, now), createdById: admin?.id ?? null },
      update: {},
    });
    assignments++;
    const members = cohortMembers.filter((m) => m.cohortId === p.cohortId);
    await prisma.enrollment.createMany({
      data: members.map((m) => ({ userId: m.userId, courseId: course.id, source: "assignment" as const })),
      skipDuplicates: true,
    });
  }

  // Progress on the first course: a spread from untouched to finished, lessons completed
  // on earlier days. Only learners who have none yet get some, so re-running adds nothing.
  const firstLessons = courses[0]?.modules.flatMap((m) => m.lessons.map((l) => l.id)) ?? [];
  let progressRows = 0;
  if (firstLessons.length) {
    const already = new Set(
      (
        await prisma.lessonProgress.findMany({
          where: { userId: { in: learnerIds }, lessonId: { in: firstLessons } },
          select: { userId: true },
          distinct: ["userId"],
        })
      ).map((r) => r.userId),
    );
    const rows: Array<{ userId: string; lessonId: string; completedAt: Date }> = [];
    for (const [i, userId] of learnerIds.entries()) {
      if (already.has(userId) || !LEARNERS[i].activated) continue;
      const done = Math.min(firstLessons.length, Math.round(((i * 7) % 11) / 10 * firstLessons.length));
      for (let j = 0; j < done; j++) {
        rows.push({ userId, lessonId: firstLessons[j], completedAt: new Date(now.getTime() - (done - j + (i % 4)) * DAY) });
      }
    }
    progressRows = (await prisma.lessonProgress.createMany({ data: rows, skipDuplicates: true })).count;
  }

  return { orgId: org.id, learnersCreated: created, assignments, progressRows };
}
