import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { parseImportFile, parseImportText } from "~/domains/schools/csv";
import { applyImport, inviteLearner, previewImport, resolveImportTarget, type ImportTarget } from "~/domains/schools/import.server";
import { acceptInvitation, findInvitation, NO_PASSWORD, renewInvitation } from "~/domains/schools/invitations.server";
import { assignCourse, assignmentsForLearner } from "~/domains/schools/assignments.server";
import { addCohortMembers } from "~/domains/schools/cohorts.server";
import { checkCharacter } from "~/domains/records/id-number";
import { decryptIdNumber, idNumberLookupHash } from "~/domains/records/identity.server";
import { verifyPassword } from "~/domains/auth/password.server";
import { dueAtFromDate } from "~/domains/schools/status";
import { seedSchools, DEMO_SCHOOL_NAME } from "~/domains/schools/seed.server";
import { DEMO_PROGRAMME_TITLE, seedRecords } from "~/domains/records/seed.server";
import { programmeTotals } from "~/domains/records/programmes.server";
import { addLearner, makeCohort, makeCourse, makeOrg, makeUser, resetSchoolTables } from "./schools-fixtures";

const id = (born: string, seq: string) => `513431${born}${seq}` + checkCharacter(`513431${born}${seq}`);
const ID1 = id("20060314", "101");
const ID2 = id("20050821", "102");

async function counts() {
  const [users, memberships, cohortMembers, cohorts, invitations, enrollments] = await Promise.all([
    prisma.user.count(),
    prisma.membership.count(),
    prisma.cohortMember.count(),
    prisma.cohort.count(),
    prisma.invitation.count(),
    prisma.enrollment.count(),
  ]);
  return { users, memberships, cohortMembers, cohorts, invitations, enrollments };
}

let org: Awaited<ReturnType<typeof makeOrg>>;
let target: ImportTarget;
let welding: Awaited<ReturnType<typeof makeCohort>>;

beforeEach(async () => {
  await resetSchoolTables();
  org = await makeOrg("凉山测试学院");
  welding = await makeCohort(org.org.id, "2025级焊接1班");
  target = await resolveImportTarget(org.admin, org.org.id, null);
});

const GOOD = [
  "姓名,手机号,邮箱,身份证号,班级",
  `吉克阿依,138 0013 8000,,${ID1},2025级焊接1班`,
  `王建国,,wang.jg@example.com,,2025级电工2班`,
  `李娟,+86 138 0013 8002,li.juan@example.com,${ID2.toLowerCase()},2025级焊接1班`,
  `刘洋,13800138003,,,`,
].join("\r\n");

describe("CSV import of learners", () => {
  it("imports a good file: accounts, encrypted ID numbers, classes, enrolments and invitation links", async () => {
    const course = await makeCourse();
    await assignCourse(org.admin, { cohortId: welding.id, courseId: course.id, dueAt: dueAtFromDate("2030-06-30")! });

    const parsed = parseImportText(GOOD);
    const preview = await previewImport(target, parsed);
    expect(preview.ok).toBe(true);
    expect(preview.counts).toEqual({ rows: 4, new: 4, existing: 0, member: 0, request: 0 });
    expect(preview.newCohorts).toEqual(["2025级电工2班"]);
    expect(await prisma.user.count({ where: { role: "learner" } })).toBe(0); // a preview writes nothing

    const result = await applyImport(target, parsed);
    if (!result.ok) throw new Error(JSON.stringify(result.preview.errors));
    expect(result.outcome).toMatchObject({ created: 4, matched: 0, joinedOrganisation: 4, addedToCohorts: 3, createdCohorts: ["2025级电工2班"], enrolments: 2 });
    expect(result.outcome.learners.every((l) => l.token && l.expiresAt)).toBe(true);

    const ayi = await prisma.user.findUniqueOrThrow({ where: { phone: "13800138000" } });
    expect(ayi).toMatchObject({ name: "吉克阿依", role: "learner", email: null, passwordHash: NO_PASSWORD, idNumberLast4: ID1.slice(-4) });
    expect(ayi.idNumberCipher).not.toContain(ID1);
    expect(decryptIdNumber(ayi.idNumberCipher!)).toBe(ID1);
    expect(ayi.idNumberHash).toBe(idNumberLookupHash(ID1));
    const juan = await prisma.user.findUniqueOrThrow({ where: { email: "li.juan@example.com" } });
    expect(juan.phone).toBe("13800138002");
    expect(decryptIdNumber(juan.idNumberCipher!)).toBe(ID2);

    const electric = await prisma.cohort.findUniqueOrThrow({ where: { orgId_name: { orgId: org.org.id, name: "2025级电工2班" } }, include: { members: true } });
    expect(electric.members).toHaveLength(1);
    const enrolments = await prisma.enrollment.findMany({ where: { courseId: course.id }, include: { user: true } });
    expect(enrolments.map((e) => [e.user.name, e.source]).sort()).toEqual([["吉克阿依", "assignment"], ["李娟", "assignment"]]);
    // 刘洋 has no class: in the organisation only.
    const liu = await prisma.user.findUniqueOrThrow({ where: { phone: "13800138003" }, include: { memberships: true, cohortMemberships: true } });
    expect(liu.memberships).toHaveLength(1);
    expect(liu.cohortMemberships).toHaveLength(0);
  });

  it("re-importing the same file creates no duplicates and keeps the same links", async () => {
    const first = await applyImport(target, parseImportText(GOOD));
    if (!first.ok) throw new Error("first import failed");
    const before = await counts();
    const preview = await previewImport(target, parseImportText(GOOD));
    expect(preview.counts).toEqual({ rows: 4, new: 0, existing: 0, member: 4, request: 0 });
    expect(preview.newCohorts).toEqual([]);
    const again = await applyImport(target, parseImportText(GOOD));
    if (!again.ok) throw new Error(JSON.stringify(again.preview.errors));
    expect(again.outcome).toMatchObject({ created: 0, matched: 4, joinedOrganisation: 0, addedToCohorts: 0, createdCohorts: [], enrolments: 0 });
    expect(await counts()).toEqual(before);
    expect(again.outcome.learners.map((l) => l.token)).toEqual(first.outcome.learners.map((l) => l.token));
    // Class names match ignoring case: "2025级焊接1班" exists, so no new class for a differently-cased spelling.
    const upper = await previewImport(target, parseImportText("name,phone,cohort\nX,13900139000,2025级焊接1班"));
    expect(upper.newCohorts).toEqual([]);
  });

  it("reports every bad row and writes nothing", async () => {
    const before = await counts();
    const parsed = parseImportText(
      ["name,phone,email,id_number,cohort", "好人,13800138000,,,新班", ",13800138001,,,", "坏号,123,,,", "重复,13800138000,,,", `坏证,13800138004,,110105194912310021,`].join("\n"),
    );
    expect(parsed.errors.map((e) => [e.line, e.code])).toEqual([
      [3, "nameRequired"],
      [4, "phoneInvalid"],
      [5, "duplicateInFile"],
      [6, "idChecksum"],
    ]);
    const preview = await previewImport(target, parsed);
    expect(preview.ok).toBe(false);
    const result = await applyImport(target, parsed);
    expect(result.ok).toBe(false);
    expect(await counts()).toEqual(before);
  });

  it("matches its own pending accounts by e-mail, phone or ID number, fills what they lack, and rejects contradictions", async () => {
    // The school's own learners: created by it, not activated yet.
    const own = { createdByOrgId: org.org.id, passwordHash: NO_PASSWORD };
    const known = await makeUser("learner", "已有学员", { email: "known@example.com" });
    const other = await makeUser("learner", "另一位", { email: "other@example.com", phone: "13900139001" });
    const expert = await makeUser("expert", "王师傅", { email: "expert@example.com" });
    const third = await makeUser("learner", "第三位", { phone: "13500135000" });
    await prisma.user.updateMany({ where: { id: { in: [known.id, other.id, third.id] } }, data: own });
    await prisma.user.update({ where: { id: expert.id }, data: { emailVerifiedAt: new Date() } });
    await prisma.user.update({ where: { id: other.id }, data: { idNumberHash: idNumberLookupHash(ID2), idNumberLast4: ID2.slice(-4) } });

    const ok = await previewImport(target, parseImportText(`name,phone,email,id_number\n任意名字,13900139000,known@example.com,${ID1}`));
    expect(ok.ok).toBe(true);
    expect(ok.plans[0]).toMatchObject({ status: "existing", userId: known.id });
    const applied = await applyImport(target, parseImportText(`name,phone,email,id_number\n任意名字,13900139000,known@example.com,${ID1}`));
    expect(applied.ok).toBe(true);
    const filled = await prisma.user.findUniqueOrThrow({ where: { id: known.id } });
    expect(filled).toMatchObject({ name: "已有学员", phone: "13900139000", idNumberHash: idNumberLookupHash(ID1) });
    expect(applied.ok && applied.outcome.learners[0].token).toEqual(expect.any(String)); // its own pending learner: a link

    const before = await counts();
    const bad = parseImportText(
      [
        "name,phone,email,id_number",
        `冲突,13900139001,,${ID1}`, // phone of `other`, ID number of `known`
        "专家,,expert@example.com,", // staff account
        "换号,13700137000,other@example.com,", // `other` has another phone
        `换证,13500135000,,${ID2}`, // phone of `third`, ID number of `other`
        "新人,13600136000,,",
        "同一人,13900139000,,", // `known` by phone…
        "还是他,,known@example.com,", // …and `known` again by e-mail
      ].join("\n"),
    );
    const preview = await previewImport(target, bad);
    expect(preview.errors.map((e) => [e.line, e.code])).toEqual([
      [2, "identityConflict"],
      [3, "notALearner"],
      [4, "phoneMismatch"],
      [5, "identityConflict"],
      [8, "samePersonInFile"],
    ]);
    expect(preview.errors.find((e) => e.line === 8)?.otherLine).toBe(7);
    expect((await applyImport(target, bad)).ok).toBe(false);
    expect(await counts()).toEqual(before);
    expect(expert.role).toBe("expert");
  });

  it("rolls everything back when the database fails in the middle of an import", async () => {
    // A trigger makes the third new account fail after the class and two accounts were written.
    await prisma.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION fail_on_boom() RETURNS trigger AS $$
      BEGIN IF NEW.name = 'BOOM' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER boom BEFORE INSERT ON "User" FOR EACH ROW EXECUTE FUNCTION fail_on_boom()`);
    try {
      const before = await counts();
      const parsed = parseImportText("name,phone,cohort\n甲,13800138010,全新班级\n乙,13800138011,全新班级\nBOOM,13800138012,全新班级\n");
      expect((await previewImport(target, parsed)).ok).toBe(true);
      await expect(applyImport(target, parsed)).rejects.toThrow(/boom/);
      expect(await counts()).toEqual(before);
      expect(await prisma.cohort.findFirst({ where: { name: "全新班级" } })).toBeNull();
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER boom ON "User"`);
    }
  });

  it("re-checks inside the transaction: a conflict that appeared after the preview rejects the whole file", async () => {
    const parsed = parseImportText("name,phone\n甲,13800138020\n乙,13800138021\n");
    expect((await previewImport(target, parsed)).ok).toBe(true);
    await makeUser("expert", "后来的专家", { phone: "13800138021" });
    const before = await counts();
    const result = await applyImport(target, parsed);
    expect(result.ok).toBe(false);
    // Someone else's (unverified) account now holds the number: refused, nothing said about it.
    expect(!result.ok && result.preview.errors.map((e) => [e.line, e.code])).toEqual([[3, "notMatchable"]]);
    expect(await counts()).toEqual(before);
  });

  it("imports a GBK file from Chinese Excel with the names intact", async () => {
    const text = "姓名,手机号,班级\r\n海来木呷,13800138030,2025级焊接1班\r\n";
    const bytes = encodeGbk(text);
    const parsed = parseImportFile(bytes);
    expect(parsed.encoding).toBe("gb18030");
    const result = await applyImport(target, parsed);
    expect(result.ok).toBe(true);
    expect((await prisma.user.findUniqueOrThrow({ where: { phone: "13800138030" } })).name).toBe("海来木呷");
  });

  it("an import cannot target another organisation's class", async () => {
    const other = await makeOrg();
    const foreign = await makeCohort(other.org.id);
    await expect(resolveImportTarget(org.admin, org.org.id, foreign.id)).rejects.toMatchObject({ status: 404 });
    await expect(resolveImportTarget(org.admin, other.org.id, null)).rejects.toMatchObject({ status: 404 });
    // A class named in the file is looked up in the target organisation only: same name, new class here.
    await prisma.cohort.create({ data: { orgId: other.org.id, name: "他校班级" } });
    const file = parseImportText("name,phone,cohort\n甲,13800138040,他校班级");
    const preview = await previewImport(target, file);
    expect(preview.newCohorts).toEqual(["他校班级"]);
    expect((await applyImport(target, file)).ok).toBe(true);
    const foreignClass = await prisma.cohort.findFirstOrThrow({ where: { orgId: other.org.id, name: "他校班级" }, include: { members: true } });
    expect(foreignClass.members).toHaveLength(0);
  });
});

describe("inviting one learner and the invitation link", () => {
  it("invites, lets the learner set a password once, and never lets a link reset a set password", async () => {
    const invited = await inviteLearner(target, { name: "沙马伍各", phone: "138 0013 8050", email: "", idNumber: "" });
    if (!invited.ok) throw new Error(JSON.stringify(invited.errors));
    expect(invited.status).toBe("new");
    const token = invited.learner.token!;
    expect(await findInvitation(token)).toMatchObject({ state: "valid", invitation: { name: "沙马伍各", phone: "13800138050" } });

    // A second organisation imports the same person before they accept: not its learner,
    // the number is unverified, so no match and no link of its own (see schools-takeover).
    const second = await makeOrg();
    const secondTarget = await resolveImportTarget(second.admin, second.org.id, null);
    const again = await applyImport(secondTarget, parseImportText("name,phone\n沙马伍各,13800138050"));
    expect(!again.ok && again.preview.errors.map((e) => e.code)).toEqual(["notMatchable"]);
    expect((await findInvitation(token)).state).toBe("valid");

    const accepted = await acceptInvitation(token, "a-good-password");
    expect(accepted).toEqual({ ok: true, userId: invited.learner.userId });
    const user = await prisma.user.findUniqueOrThrow({ where: { id: invited.learner.userId } });
    expect(await verifyPassword(user.passwordHash, "a-good-password")).toBe(true);

    expect(await acceptInvitation(token, "another-password")).toEqual({ ok: false, reason: "used" });
    const still = await prisma.user.findUniqueOrThrow({ where: { id: invited.learner.userId } });
    expect(await verifyPassword(still.passwordHash, "a-good-password")).toBe(true);
    expect(await acceptInvitation("no-such-token", "whatever-123")).toEqual({ ok: false, reason: "missing" });
  });

  it("reports field errors for one learner and refuses an expired link; a new link works", async () => {
    const bad = await inviteLearner(target, { name: "", phone: "123", email: "", idNumber: "110105194912310021" });
    expect(bad.ok === false && bad.errors.map((e) => [e.field, e.code])).toEqual([
      ["name", "nameRequired"],
      ["phone", "phoneInvalid"],
      ["idNumber", "idChecksum"],
    ]);
    const invited = await inviteLearner(target, { name: "曲比阿果", phone: "13800138060" });
    if (!invited.ok) throw new Error("invite failed");
    await prisma.invitation.update({ where: { token: invited.learner.token! }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await findInvitation(invited.learner.token!)).state).toBe("expired");
    expect(await acceptInvitation(invited.learner.token!, "a-good-password")).toEqual({ ok: false, reason: "used" });

    const renewed = await renewInvitation(org.admin, org.org.id, invited.learner.userId);
    expect(renewed?.token).toBeTruthy();
    expect(await acceptInvitation(renewed!.token, "a-good-password")).toMatchObject({ ok: true });
    // Another school's admin cannot mint links for this learner.
    const other = await makeOrg();
    await expect(renewInvitation(other.admin, org.org.id, invited.learner.userId)).rejects.toMatchObject({ status: 404 });
    await expect(renewInvitation(other.admin, other.org.id, invited.learner.userId)).rejects.toMatchObject({ status: 404 });
  });
});

describe("assignments", () => {
  it("enrol the class at once, and learners who join later, idempotently; learners see them on their dashboard", async () => {
    const course = await makeCourse({ title: "电气安装基础" });
    const later = await makeCourse({ title: "手工电弧焊" });
    const draft = await makeCourse({ status: "draft" });
    const first = await addLearner(org.org.id, welding.id, "甲");
    await prisma.enrollment.create({ data: { userId: first.id, courseId: course.id, source: "self" } });

    expect(await assignCourse(org.admin, { cohortId: welding.id, courseId: draft.id, dueAt: new Date() })).toEqual({ ok: false, error: "courseNotPublished" });
    const a = await assignCourse(org.admin, { cohortId: welding.id, courseId: course.id, dueAt: dueAtFromDate("2030-01-31")! });
    expect(a).toMatchObject({ ok: true, enrolled: 0 }); // already enrolled on their own: kept as is
    await assignCourse(org.admin, { cohortId: welding.id, courseId: later.id, dueAt: dueAtFromDate("2030-03-31")! });
    // Re-assigning moves the due date, nothing else.
    await assignCourse(org.admin, { cohortId: welding.id, courseId: later.id, dueAt: dueAtFromDate("2030-02-28")! });
    expect(await prisma.assignment.count({ where: { cohortId: welding.id } })).toBe(2);

    const joiner = await addLearner(org.org.id, undefined, "乙");
    expect(await addCohortMembers(org.admin, welding.id, [joiner.id])).toBe(1);
    expect(await addCohortMembers(org.admin, welding.id, [joiner.id])).toBe(0);
    const enrolments = await prisma.enrollment.findMany({ where: { userId: joiner.id }, orderBy: { courseId: "asc" } });
    expect(enrolments.map((e) => e.source)).toEqual(["assignment", "assignment"]);
    expect((await prisma.enrollment.findUniqueOrThrow({ where: { userId_courseId: { userId: first.id, courseId: course.id } } })).source).toBe("self");

    // Two classes assign the same course: the earlier due date wins.
    const evening = await makeCohort(org.org.id, "夜校班");
    await addCohortMembers(org.admin, evening.id, [joiner.id]);
    await assignCourse(org.admin, { cohortId: evening.id, courseId: course.id, dueAt: dueAtFromDate("2029-12-31")! });
    const seen = await assignmentsForLearner(joiner.id);
    expect(seen.map((s) => [s.courseTitle, s.cohortName, s.dueAt.toISOString()])).toEqual([
      ["电气安装基础", "夜校班", "2029-12-31T15:59:59.999Z"],
      ["手工电弧焊", "2025级焊接1班", "2030-02-28T15:59:59.999Z"],
    ]);
    expect(seen[0]).toMatchObject({ courseId: course.id, courseSlug: course.slug });
    // An unpublished course disappears from the dashboard list.
    await prisma.course.update({ where: { id: later.id }, data: { status: "draft" } });
    expect((await assignmentsForLearner(joiner.id)).map((s) => s.courseTitle)).toEqual(["电气安装基础"]);
    expect(await assignmentsForLearner(org.admin.id)).toEqual([]);

    // Adding another organisation's learner to this class is refused.
    const other = await makeOrg();
    const outsider = await addLearner(other.org.id);
    await expect(addCohortMembers(org.admin, welding.id, [outsider.id])).rejects.toMatchObject({ status: 404 });
  });
});

describe("demo seed", () => {
  it("creates the demo school once, with classes, learners, assignments and progress", async () => {
    await makeUser("school_admin", "张老师", { email: "school@skillrelay.test" });
    const demoLearner = await makeUser("learner", "李明", { email: "learner@skillrelay.test" });
    const c1 = await makeCourse({ lessons: 5 });
    const c2 = await makeCourse({ lessons: 3 });
    const first = await seedSchools(prisma);
    expect(first).toMatchObject({ learnersCreated: 20, assignments: 3 });
    expect(first.progressRows).toBeGreaterThan(0);
    const before = await counts();
    const progress = await prisma.lessonProgress.count();
    const second = await seedSchools(prisma);
    expect(second).toMatchObject({ learnersCreated: 0, progressRows: 0 });
    expect(await counts()).toEqual(before);
    expect(await prisma.lessonProgress.count()).toBe(progress);

    const school = await prisma.organization.findFirstOrThrow({ where: { name: DEMO_SCHOOL_NAME }, include: { cohorts: { include: { _count: { select: { members: true } } } } } });
    expect(school.cohorts.map((c) => c._count.members).sort()).toEqual([10, 11]);
    const seen = await assignmentsForLearner(demoLearner.id);
    expect(seen.map((s) => s.courseId).sort()).toEqual([c1.id, c2.id].sort());
    const overdue = await prisma.assignment.count({ where: { dueAt: { lt: new Date() } } });
    expect(overdue).toBe(1);
    const learners = await prisma.user.findMany({ where: { phone: { startsWith: "170000001" } } });
    expect(learners).toHaveLength(20);
    expect(learners.every((l) => l.idNumberCipher && decryptIdNumber(l.idNumberCipher).length === 18)).toBe(true);

    // Real-name records: derived from the ID number, the first eight verified.
    const identities = await prisma.learnerIdentity.findMany({ where: { userId: { in: learners.map((l) => l.id) } } });
    expect(identities).toHaveLength(20);
    expect(identities.filter((i) => i.verifiedAt).length).toBe(8);
    const ayi = learners.find((l) => l.name === "吉克阿依")!;
    expect(identities.find((i) => i.userId === ayi.id)).toMatchObject({ legalName: "吉克阿依", birthDate: "2006-03-14", countyCode: "513431", verifiedDocument: "id_card" });

    // The demo programme: the welding class on its courses, its ledger built from the seeded progress, once.
    expect(await seedRecords(prisma)).toEqual({ programmeCreated: true });
    const programme = await prisma.trainingProgramme.findFirstOrThrow({ where: { title: DEMO_PROGRAMME_TITLE }, include: { courses: true } });
    expect(programme.courses.map((c) => c.courseId).sort()).toEqual([c1.id, c2.id].sort());
    const { learners: rows, totals } = await programmeTotals(programme.id);
    expect(rows).toHaveLength(11);
    expect(totals.lesson).toBeGreaterThan(0);
    expect(totals.subsidy).toBeGreaterThan(0);
    const entries = await prisma.hoursEntry.count({ where: { programmeId: programme.id } });
    expect(await seedRecords(prisma)).toEqual({ programmeCreated: false });
    expect(await prisma.hoursEntry.count({ where: { programmeId: programme.id } })).toBe(entries);
  });
});

/** GBK bytes for a text: a reverse table built by decoding every two-byte GBK code. */
function encodeGbk(text: string) {
  const decoder = new TextDecoder("gbk");
  const table = new Map<string, number[]>();
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([hi, lo]));
      if (!table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  const out: number[] = [];
  for (const ch of text) out.push(...(ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : table.get(ch)!));
  return new Uint8Array(out);
}
