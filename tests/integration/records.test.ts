// Real-name training records: the ledger from real activity rows, the programme pages and the
// full-ID export (XLSX read back with exceljs), who may see which programme, audit entries.
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "~/domains/db.server";
import { protectIdNumber } from "~/domains/records/identity.server";
import { checkCharacter } from "~/domains/records/id-number";
import { programmeTotals, rebuildLedger } from "~/domains/records/programmes.server";
import { recordPlayedRange } from "~/domains/records/played.server";
import { loader as listLoader, action as listAction } from "~/routes/school.programmes._index";
import { loader as viewLoader, action as viewAction } from "~/routes/school.programmes.$programmeId";
import { loader as xlsxLoader } from "~/routes/school.programmes.$programmeId.export[.]xlsx";
import { loader as csvLoader } from "~/routes/school.programmes.$programmeId.export[.]csv";
import { loader as recordsLoader } from "~/routes/records._index";
import { loader as auditLoader } from "~/routes/school.audit";
import { loader as auditCsvLoader } from "~/routes/school.audit[.]csv";
import { loader as identityLoader, action as identityAction } from "~/routes/school.learners_.$learnerId.identity";
import { addLearner, bodyOf, formErrorsOf, makeCohort, makeCourse, makeOrg, makeUser, requestAs, resetSchoolTables, settle, statusOf } from "./schools-fixtures";

process.env.SKILLRELAY_SECRET_KEY ??= Buffer.alloc(32, 9).toString("base64");

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;
const load = async (fn: Loader, userId: string | null, path: string, params: Record<string, string> = {}) =>
  settle(fn({ request: await requestAs(userId, path), params, context: {} }));
const post = async (fn: Action, userId: string | null, path: string, fields: Record<string, string | string[]>, params: Record<string, string> = {}) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return settle(fn({ request: await requestAs(userId, path, { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } }), params, context: {} }));
};

function locationOf(r: { thrown: Response | null; value: unknown }) {
  const res = (r.thrown ?? r.value) as Response;
  if (!(res instanceof Response) || res.status !== 302) throw new Error(`expected a redirect, got ${JSON.stringify(r.value)}`);
  return res.headers.get("Location")!;
}

const first17 = "51343119900307001";
const ID = first17 + checkCharacter(first17); // male (7th from last digit odd)
// 2026-03-02 10:00 Shanghai.
const T = Date.UTC(2026, 2, 2, 2, 0, 0);
const at = (minutes: number) => new Date(T + minutes * 60_000);

let A: Awaited<ReturnType<typeof makeOrg>>;
let B: Awaited<ReturnType<typeof makeOrg>>;
let L: { id: string; name: string };
let M: { id: string; name: string };
let courseId: string;
let programmeA: string;
let programmeB: string;

beforeAll(async () => {
  await resetSchoolTables();
  await prisma.$executeRawUnsafe(`TRUNCATE "AuditEntry", "Region", "PriorityGroup"`);
  A = await makeOrg("College A");
  B = await makeOrg("College B");
  const cohortA = await makeCohort(A.org.id, "A 班");
  const cohortB = await makeCohort(B.org.id, "B 班");
  L = await addLearner(A.org.id, cohortA.id, "阿依");
  M = await addLearner(A.org.id, cohortA.id, "木呷");
  // L is also a learner of school B.
  await prisma.membership.create({ data: { orgId: B.org.id, userId: L.id, role: "learner" } });
  await prisma.cohortMember.create({ data: { cohortId: cohortB.id, userId: L.id } });
  await prisma.user.update({ where: { id: L.id }, data: protectIdNumber(ID) });
  await prisma.region.create({ data: { code: "513431", name: "昭觉县", povertyCounty: true } });
  await prisma.priorityGroup.create({ data: { key: "poor_household", nameZh: "建档立卡贫困户", nameEn: "Registered poor household" } });
  await prisma.learnerIdentity.create({ data: { userId: L.id, legalName: "阿依莫", gender: "male", birthDate: "1990-03-07", countyCode: "513431", priorityKeys: ["poor_household"] } });

  const course = await makeCourse({ lessons: 3, title: "焊接安全" });
  courseId = course.id;
  const lessons = course.modules[0].lessons;
  const asset = await prisma.asset.create({ data: { ownerId: A.admin.id, storageKey: `files/rec-${Date.now()}.mp4`, originalName: "v.mp4", mimeType: "video/mp4", sizeBytes: 1n, durationSeconds: 1200 } });
  const video = await prisma.lesson.create({ data: { moduleId: course.modules[0].id, title: "Video", kind: "video", position: 9, assetId: asset.id } });

  // Text lessons: L completes two (one twice, counted once), M one.
  await prisma.lessonProgress.createMany({
    data: [
      { userId: L.id, lessonId: lessons[0].id, completedAt: at(0) },
      { userId: L.id, lessonId: lessons[1].id, completedAt: at(5) },
      { userId: M.id, lessonId: lessons[0].id, completedAt: at(0) },
    ],
  });
  // Video: L plays 0–600 s over 10 minutes, then claims a jump to the end a second later.
  await prisma.playedRange.createMany({
    data: [
      { userId: L.id, lessonId: video.id, fromSecond: 0, toSecond: 0, receivedAt: at(10) },
      { userId: L.id, lessonId: video.id, fromSecond: 0, toSecond: 300, receivedAt: at(15) },
      { userId: L.id, lessonId: video.id, fromSecond: 300, toSecond: 600, receivedAt: at(20) },
      { userId: L.id, lessonId: video.id, fromSecond: 600, toSecond: 1200, receivedAt: new Date(+at(20) + 1000) },
    ],
  });
  // Live: scheduled 60 minutes; L joins early, drops, reconnects, opens a second tab.
  const host = await makeUser("expert");
  const session = await prisma.liveSession.create({ data: { hostId: host.id, title: "Live", kind: "group", startsAt: at(60), endsAt: at(120), cohortId: cohortA.id } });
  await prisma.attendance.createMany({
    data: [
      { sessionId: session.id, userId: L.id, joinedAt: at(50), leftAt: at(80) },
      { sessionId: session.id, userId: L.id, joinedAt: at(85), leftAt: at(100) },
      { sessionId: session.id, userId: L.id, joinedAt: at(90), leftAt: at(130) },
    ],
  });

  const created = await post(listAction, A.admin.id, "/school/programmes", {
    title: "焊工培训 2026",
    occupation: "焊工",
    kind: "pre_employment",
    cohortId: cohortA.id,
    courseIds: [course.id],
    startDate: "2026-03-01",
    endDate: "2026-03-31",
    subsidyPerLearner: "500",
    subsidyPerHour: "15.5",
    livingPerDay: "30",
    minMinutesPerDay: "60",
    lessonMinutes: "20",
  });
  programmeA = locationOf(created).split("/").pop()!;
  const createdB = await post(listAction, B.admin.id, "/school/programmes", {
    title: "B programme", occupation: "", kind: "skills_upgrading", cohortId: cohortB.id, startDate: "2026-03-01", endDate: "2026-03-31",
    subsidyPerLearner: "0", subsidyPerHour: "0", livingPerDay: "0", minMinutesPerDay: "60", lessonMinutes: "10",
  });
  programmeB = locationOf(createdB).split("/").pop()!;
});

describe("the ledger", () => {
  it("credits lessons once, video by played ranges and server clock, live merged and clipped", async () => {
    expect(await rebuildLedger(programmeA)).toBeGreaterThan(0);
    const { learners } = await programmeTotals(programmeA);
    const l = learners.find((x) => x.userId === L.id)!;
    // Text: 2 × 20; video: 10 minutes (the jump credits 1 s, rounded away).
    expect(l.lesson).toBe(40 + 10);
    // Live: 60–80 and 85–120 within the 60–120 window.
    expect(l.live).toBe(20 + 35);
    expect(l.total).toBe(105);
    expect(l.days).toBe(1);
    // 500 + 1 full hour × 15.50 + 1 day × 30.
    expect(l.subsidy.total).toBe(50000 + 1550 + 3000);
    const m = learners.find((x) => x.userId === M.id)!;
    expect(m).toMatchObject({ lesson: 20, live: 0, total: 20, days: 0 });
  });

  it("a second rebuild appends nothing; entries cannot be updated", async () => {
    expect(await rebuildLedger(programmeA)).toBe(0);
    const entry = await prisma.hoursEntry.findFirstOrThrow({ where: { programmeId: programmeA } });
    await prisma.hoursEntry.updateMany({ where: { id: entry.id }, data: { minutes: 9999 } });
    expect((await prisma.hoursEntry.findUniqueOrThrow({ where: { id: entry.id } })).minutes).toBe(entry.minutes);
  });

  it("a correction is a new entry with a reason, audited; bad input is a 400", async () => {
    const ok = await post(viewAction, A.admin.id, `/school/programmes/${programmeA}`, { intent: "correct", userId: M.id, day: "2026-03-02", minutes: "40", reason: "offline workshop" }, { programmeId: programmeA });
    expect(statusOf(ok.value)).toBe(200);
    const { learners } = await programmeTotals(programmeA);
    expect(learners.find((x) => x.userId === M.id)).toMatchObject({ correction: 40, total: 60, days: 1 });
    expect(await prisma.auditEntry.count({ where: { action: "records.hours_correction", reason: "offline workshop" } })).toBe(1);
    const bad = await post(viewAction, A.admin.id, `/school/programmes/${programmeA}`, { intent: "correct", userId: M.id, day: "2026-02-30", minutes: "x", reason: "" }, { programmeId: programmeA });
    expect(statusOf(bad.value)).toBe(400);
    expect(formErrorsOf(bad.value, "minutes")).toEqual(["errors.minutes"]);
    expect(formErrorsOf(bad.value, "reason")).toEqual(["errors.reasonRequired"]);
    // Someone outside the class.
    const outsider = await post(viewAction, A.admin.id, `/school/programmes/${programmeA}`, { intent: "correct", userId: B.admin.id, day: "2026-03-02", minutes: "40", reason: "not mine" }, { programmeId: programmeA });
    expect(statusOf(outsider.value)).toBe(400);
    expect(formErrorsOf(outsider.value, "userId")).toEqual(["errors.learner"]);
  });

  it("credits a practical task's duration for a hand-in made by the class's deadline, once; a late one credits nothing", async () => {
    const programme = await prisma.trainingProgramme.findUniqueOrThrow({ where: { id: programmeA } });
    const module = await prisma.courseModule.findFirstOrThrow({ where: { courseId } });
    const task = await prisma.lesson.create({ data: { moduleId: module.id, title: "Plate butt weld", kind: "task", position: 20, durationMinutes: 90 } });
    await prisma.assignment.create({ data: { cohortId: programme.cohortId, courseId, dueAt: at(200) } });
    await prisma.taskSubmission.createMany({
      data: [
        { lessonId: task.id, userId: M.id, body: "first", createdAt: at(150) },
        { lessonId: task.id, userId: M.id, body: "again", createdAt: at(190) },
        { lessonId: task.id, userId: L.id, body: "late", createdAt: at(300) },
      ],
    });
    expect(await rebuildLedger(programmeA)).toBe(1);
    const { learners } = await programmeTotals(programmeA);
    expect(learners.find((x) => x.userId === M.id)).toMatchObject({ assessment: 90, correction: 40, total: 150 });
    expect(learners.find((x) => x.userId === L.id)).toMatchObject({ assessment: 0, total: 105 });
    const entry = await prisma.hoursEntry.findFirstOrThrow({ where: { programmeId: programmeA, source: "assessment" } });
    expect(entry).toMatchObject({ userId: M.id, sourceId: task.id, day: "2026-03-02", minutes: 90 });
    expect(await rebuildLedger(programmeA)).toBe(0);
  });
});

describe("who sees which programme", () => {
  it("each school lists only its own programmes, though L is in both", async () => {
    const a = bodyOf<{ programmes: Array<{ id: string }> }>((await load(listLoader, A.admin.id, "/school/programmes")).value);
    const b = bodyOf<{ programmes: Array<{ id: string }> }>((await load(listLoader, B.admin.id, "/school/programmes")).value);
    expect(a.programmes.map((p) => p.id)).toEqual([programmeA]);
    expect(b.programmes.map((p) => p.id)).toEqual([programmeB]);
  });

  it("another school's admin gets a 404 on the page, the exports and the actions; learners a 403", async () => {
    for (const fn of [viewLoader, xlsxLoader, csvLoader]) {
      expect((await load(fn, B.admin.id, `/school/programmes/${programmeA}`, { programmeId: programmeA })).thrown?.status).toBe(404);
      expect((await load(fn, L.id, `/school/programmes/${programmeA}`, { programmeId: programmeA })).thrown?.status).toBe(403);
    }
    const hijack = await post(viewAction, B.admin.id, `/school/programmes/${programmeA}`, { intent: "rebuild" }, { programmeId: programmeA });
    expect(hijack.thrown?.status).toBe(404);
    expect((await load(viewLoader, A.admin.id, "/x", { programmeId: "../etc" })).thrown?.status).toBe(400);
  });

  it("a school admin cannot create a programme for another school's class", async () => {
    const cohortB = await prisma.cohort.findFirstOrThrow({ where: { orgId: B.org.id } });
    const res = await post(listAction, A.admin.id, "/school/programmes", {
      title: "x", occupation: "", kind: "work_based", cohortId: cohortB.id, startDate: "2026-03-01", endDate: "2026-03-31",
      subsidyPerLearner: "0", subsidyPerHour: "0", livingPerDay: "0", minMinutesPerDay: "60", lessonMinutes: "10",
    });
    expect(statusOf(res.value)).toBe(400);
    expect(await prisma.trainingProgramme.count({ where: { cohortId: cohortB.id } })).toBe(1);
  });

  it("the learner's own record shows their hours, per programme, without the ID number", async () => {
    const res = await load(recordsLoader, L.id, "/records");
    const body = bodyOf<{ programmes: Array<{ id: string; total: string; days: number }> }>(res.value);
    expect(body.programmes.map((p) => p.id)).toEqual([programmeA]);
    expect(body.programmes[0]).toMatchObject({ total: "1:45", days: 1 });
    expect(JSON.stringify(body)).not.toContain(ID);
  });

  it("no page's data holds the ID number unmasked", async () => {
    const pages = [
      await load(viewLoader, A.admin.id, `/school/programmes/${programmeA}`, { programmeId: programmeA }),
      await load(listLoader, A.admin.id, "/school/programmes"),
      await load(recordsLoader, L.id, "/records"),
    ];
    for (const p of pages) expect(JSON.stringify(p.value)).not.toContain(ID);
  });
});

describe("the export", () => {
  it("XLSX: one row per learner with the full ID, totals equal to the ledger, a summary sheet; audited", async () => {
    const before = await prisma.auditEntry.count({ where: { action: "records.export_full_id" } });
    const res = await load(xlsxLoader, A.admin.id, `/school/programmes/${programmeA}/export.xlsx`, { programmeId: programmeA });
    const response = res.value as Response;
    expect(response.headers.get("Content-Type")).toContain("spreadsheetml");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const [sheet, summary] = wb.worksheets;
    expect(sheet.rowCount).toBe(1 + 2 + 1);
    const values = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
    expect(values(1)[1]).toBe("ID number");
    const rowL = [2, 3].map(values).find((v) => v[1] === ID)!;
    expect(rowL).toBeTruthy();
    expect(rowL.slice(0, 6)).toEqual(["阿依莫", ID, "Male", "昭觉县 513431", "建档立卡贫困户", "焊工"]);
    const { learners, totals } = await programmeTotals(programmeA);
    const l = learners.find((x) => x.userId === L.id)!;
    expect(rowL[6]).toBeCloseTo(l.lesson / 60, 2);
    expect(rowL[9]).toBeCloseTo(l.total / 60, 2);
    expect(rowL[10]).toBe(l.days);
    expect(rowL[11] ?? "").toBe("");
    expect(rowL[16]).toBe(l.subsidy.total / 100);
    const totalRow = values(4);
    expect(totalRow[0]).toBe("Total");
    expect(totalRow[9]).toBeCloseTo(totals.total / 60, 2);
    expect(totalRow[10]).toBe(totals.days);
    expect(totalRow[16]).toBe(totals.subsidy / 100);
    const sum = [2, 3].map(values).reduce((s, v) => s + Number(v[16]), 0);
    expect(sum).toBeCloseTo(Number(totalRow[16]), 2);
    expect(summary.getRow(1).getCell(2).value).toBe("焊工培训 2026");
    const entries = await prisma.auditEntry.findMany({ where: { action: "records.export_full_id" } });
    expect(entries.length).toBe(before + 1);
    expect(entries.at(-1)).toMatchObject({ actorId: A.admin.id, orgId: A.org.id, subjectId: programmeA });
    expect(JSON.stringify(entries)).not.toContain(ID);
  });

  it("XLSX: the certificate column holds the learner's valid certificates of the programme's courses", async () => {
    const code = "ABCDEFGHJKMNPQRS";
    await prisma.certificate.create({ data: { code, userId: L.id, holderName: "阿依莫", kind: "course", courseId, titleZh: "焊接安全", titleEn: "Welding safety" } });
    await prisma.certificate.create({ data: { code: "ZZZZZZZZZZZZZZZZ", userId: L.id, holderName: "阿依莫", kind: "course", courseId, titleZh: "x", titleEn: "x", revokedAt: new Date() } });
    const res = await load(xlsxLoader, A.admin.id, `/school/programmes/${programmeA}/export.xlsx`, { programmeId: programmeA });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await (res.value as Response).arrayBuffer()) as never);
    const sheet = wb.worksheets[0];
    const rowL = [2, 3].map((r) => (sheet.getRow(r).values as unknown[]).slice(1)).find((v) => v[1] === ID)!;
    expect(rowL[12]).toBe("ABCD-EFGH-JKMN-PQRS");
    await prisma.certificate.deleteMany({ where: { userId: L.id } });
  });

  it("XLSX: a period inside the programme counts only its days; released task marks are in the result column; the token comes back as a cookie", async () => {
    const submission = await prisma.taskSubmission.findFirstOrThrow({ where: { userId: M.id, body: "first" } });
    await prisma.resultRelease.create({ data: { submissionId: submission.id, total: 78.5, passed: true, releasedById: A.admin.id } });
    const rowsOf = async (query: string) => {
      const res = await load(xlsxLoader, A.admin.id, `/school/programmes/${programmeA}/export.xlsx${query}`, { programmeId: programmeA });
      const response = res.value as Response;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
      const rows = [2, 3, 4].map((r) => (wb.worksheets[0].getRow(r).values as unknown[]).slice(1));
      const summary = (wb.worksheets[1].getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
      return { response, rows, summary };
    };
    const full = await rowsOf("?from=2026-03-02&to=2026-03-02&token=abc123");
    const rowM = full.rows.find((v) => v[0] === "木呷")!;
    expect(rowM[11]).toBe("Plate butt weld: 78.5 passed");
    expect(rowM[8]).toBeCloseTo(90 / 60, 2);
    expect(full.response.headers.get("Set-Cookie")).toMatch(/^skillrelay_export=abc123; Path=\/school\/programmes; Max-Age=120/);
    expect(full.response.headers.get("Content-Disposition")).toContain("programme-2026-03-02-2026-03-02.xlsx");
    expect(full.summary.find((r) => r[0] === "Period of this export")?.[1]).toBe("2026-03-02 – 2026-03-02");
    // A day without activity: nothing credited, nothing claimed by the hour.
    const empty = await rowsOf("?from=2026-03-03&to=2026-03-10");
    expect(empty.rows.find((v) => v[1] === ID)![9]).toBe(0);
    expect(empty.rows.find((v) => v[0] === "Total")![9]).toBe(0);
    // Asked beyond the programme: kept inside its dates.
    const wide = await rowsOf("?from=2020-01-01&to=2030-01-01");
    expect(wide.response.headers.get("Content-Disposition")).toContain("programme-2026-03-01-2026-03-31.xlsx");
    expect(wide.rows.find((v) => v[0] === "Total")![9]).toBe(full.rows.find((v) => v[0] === "Total")![9]);
    for (const bad of ["?from=2026-03-10&to=2026-03-01", "?from=yesterday", "?token=%3Cscript%3E"]) {
      expect((await load(xlsxLoader, A.admin.id, `/school/programmes/${programmeA}/export.xlsx${bad}`, { programmeId: programmeA })).thrown?.status).toBe(400);
    }
  });

  it("CSV: the same rows, audited too", async () => {
    const before = await prisma.auditEntry.count({ where: { action: "records.export_full_id" } });
    const res = await load(csvLoader, A.admin.id, `/school/programmes/${programmeA}/export.csv`, { programmeId: programmeA });
    const text = await (res.value as Response).text();
    const lines = text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines).toHaveLength(4);
    expect(text).toContain(ID);
    expect(lines[3].startsWith("Total,")).toBe(true);
    expect(await prisma.auditEntry.count({ where: { action: "records.export_full_id" } })).toBe(before + 1);
  });
});

describe("identity", () => {
  const url = (id: string) => `/school/learners/${id}/identity`;
  it("the page shows the number masked only; another school's admin of a non-member gets a 404", async () => {
    const own = await load(identityLoader, A.admin.id, url(L.id), { learnerId: L.id });
    expect(JSON.stringify(own.value)).not.toContain(ID);
    expect(JSON.stringify(own.value)).toContain(ID.slice(-4));
    const C = await makeOrg("College C");
    expect((await load(identityLoader, C.admin.id, url(L.id), { learnerId: L.id })).thrown?.status).toBe(404);
    expect((await post(identityAction, C.admin.id, url(L.id), { intent: "save", legalName: "x" }, { learnerId: L.id })).thrown?.status).toBe(404);
    expect((await load(identityLoader, L.id, url(M.id), { learnerId: M.id })).thrown?.status).toBe(403);
  });

  it("an ID number sets gender and birth date; verification records who, when and which document; a later change needs a reason", async () => {
    const mFirst = "51343120010915002";
    const mId = mFirst + checkCharacter(mFirst);
    // M was not created by school A: it may not set M's number.
    const refused = await post(identityAction, A.admin.id, url(M.id), { intent: "save", legalName: "木呷阿果", idNumber: mId }, { learnerId: M.id });
    expect(formErrorsOf(refused.value)).toEqual(["errors.idNotYours"]);
    await prisma.user.update({ where: { id: M.id }, data: { createdByOrgId: A.org.id } });
    const saved = await post(identityAction, A.admin.id, url(M.id), { intent: "save", legalName: "木呷阿果", countyCode: "513431", priorityKeys: ["poor_household"], idNumber: mId }, { learnerId: M.id });
    expect(bodyOf<{ ok: string }>(saved.value).ok).toBe("saved");
    expect(await prisma.learnerIdentity.findUniqueOrThrow({ where: { userId: M.id } })).toMatchObject({ gender: "female", birthDate: "2001-09-15", countyCode: "513431", priorityKeys: ["poor_household"] });
    const audit = await prisma.auditEntry.findFirstOrThrow({ where: { action: "identity.update", subjectId: M.id } });
    expect(JSON.stringify(audit)).not.toContain(mId);

    const verified = await post(identityAction, A.admin.id, url(M.id), { intent: "verify", document: "id_card", documentRef: "昭觉县公安局" }, { learnerId: M.id });
    expect(bodyOf<{ ok: string }>(verified.value).ok).toBe("verified");
    expect(await prisma.learnerIdentity.findUniqueOrThrow({ where: { userId: M.id } })).toMatchObject({ verifiedById: A.admin.id, verifiedDocument: "id_card: 昭觉县公安局" });
    expect(await prisma.auditEntry.count({ where: { action: "identity.verify", subjectId: M.id, actorId: A.admin.id } })).toBe(1);

    const noReason = await post(identityAction, A.admin.id, url(M.id), { intent: "save", legalName: "别名" }, { learnerId: M.id });
    expect(statusOf(noReason.value)).toBe(400);
    expect(formErrorsOf(noReason.value)).toEqual(["errors.reasonAfterVerify"]);
    const withReason = await post(identityAction, A.admin.id, url(M.id), { intent: "save", legalName: "木呷阿果", countyCode: "513431", priorityKeys: [], reason: "no longer a priority household" }, { learnerId: M.id });
    expect(bodyOf<{ ok: string }>(withReason.value).ok).toBe("saved");
    expect(await prisma.auditEntry.count({ where: { action: "identity.update", subjectId: M.id, reason: "no longer a priority household" } })).toBe(1);
  });

  it("two accounts cannot hold (or be verified with) one ID number; bad numbers are a 400", async () => {
    const other = await addLearner(A.org.id, undefined, "重号");
    await prisma.user.update({ where: { id: other.id }, data: { createdByOrgId: A.org.id } });
    const dup = await post(identityAction, A.admin.id, url(other.id), { intent: "save", legalName: "重号", idNumber: ID }, { learnerId: other.id });
    expect(statusOf(dup.value)).toBe(400);
    expect(formErrorsOf(dup.value)).toEqual(["errors.idTaken"]);
    const bad = await post(identityAction, A.admin.id, url(other.id), { intent: "save", legalName: "重号", idNumber: "513431199003070010" }, { learnerId: other.id });
    expect(formErrorsOf(bad.value)).toEqual(["errors.idNumber"]);
    const noId = await post(identityAction, A.admin.id, url(other.id), { intent: "verify", document: "id_card" }, { learnerId: other.id });
    expect(formErrorsOf(noId.value)).toEqual(["errors.noIdNumber"]);
    const badDoc = await post(identityAction, A.admin.id, url(other.id), { intent: "verify", document: "selfie" }, { learnerId: other.id });
    expect(statusOf(badDoc.value)).toBe(400);
  });
});

describe("played ranges from the lesson player", () => {
  it("are stored for an enrolled learner of a video lesson with the server's clock, clipped to the video; refused otherwise", async () => {
    const video = await prisma.lesson.findFirstOrThrow({ where: { kind: "video" }, include: { module: true } });
    const outsider = await makeUser("learner");
    expect(await recordPlayedRange(outsider.id, video.id, { from: 0, to: 10 })).toBe(false);
    await prisma.enrollment.create({ data: { userId: outsider.id, courseId: video.module.courseId } });
    const now = new Date("2026-03-05T02:00:00Z");
    expect(await recordPlayedRange(outsider.id, video.id, { from: 1100, to: 5000 }, now)).toBe(true);
    const row = await prisma.playedRange.findFirstOrThrow({ where: { userId: outsider.id } });
    expect(row).toMatchObject({ fromSecond: 1100, toSecond: 1200, receivedAt: now });
    const text = await prisma.lesson.findFirstOrThrow({ where: { kind: "text", moduleId: video.moduleId } });
    expect(await recordPlayedRange(outsider.id, text.id, { from: 0, to: 10 })).toBe(false);
  });

  it("are rate-limited per learner", async () => {
    const video = await prisma.lesson.findFirstOrThrow({ where: { kind: "video" }, include: { module: true } });
    const l = await makeUser("learner");
    await prisma.enrollment.create({ data: { userId: l.id, courseId: video.module.courseId } });
    const results = [];
    for (let i = 0; i < 32; i++) results.push(await recordPlayedRange(l.id, video.id, { from: i, to: i + 1 }));
    expect(results.filter(Boolean)).toHaveLength(30);
  });
});

describe("audit log viewer", () => {
  it("a school admin sees their school's entries only, filtered; the CSV masks ID numbers; bad filters are a 400", async () => {
    const a = bodyOf<{ entries: Array<{ action: string }> }>((await load(auditLoader, A.admin.id, "/school/audit?action=records.export")).value);
    expect(a.entries.length).toBeGreaterThanOrEqual(2);
    expect(a.entries.every((e) => e.action === "records.export_full_id")).toBe(true);
    const b = bodyOf<{ entries: Array<{ action: string }> }>((await load(auditLoader, B.admin.id, "/school/audit?action=records.export")).value);
    expect(b.entries).toEqual([]);
    const dated = bodyOf<{ entries: unknown[] }>((await load(auditLoader, A.admin.id, "/school/audit?from=2000-01-01&to=2000-01-02")).value);
    expect(dated.entries).toEqual([]);
    expect((await load(auditLoader, A.admin.id, "/school/audit?from=2026-02-30")).thrown?.status).toBe(400);
    expect((await load(auditLoader, L.id, "/school/audit")).thrown?.status).toBe(403);
    const csv = await ((await load(auditCsvLoader, A.admin.id, "/school/audit.csv?action=identity")).value as Response).text();
    expect(csv).toContain("identity.update");
    expect(csv).not.toMatch(/\d{17}[\dX]/);
  });
});

describe("mock competitions in the ledger", () => {
  it("credit the competition's duration for a hand-in within its window, once; late or cancelled credits nothing", async () => {
    const task = await prisma.lesson.findFirstOrThrow({ where: { kind: "task", title: "Plate butt weld", module: { courseId } } });
    const before = await programmeTotals(programmeA);
    const was = (id: string) => before.learners.find((x) => x.userId === id)!;
    const competition = await prisma.competition.create({
      data: {
        title: "Class mock",
        lessonId: task.id,
        createdById: A.admin.id,
        orgId: A.org.id,
        startsAt: at(230),
        endsAt: at(300),
        modules: { create: [{ title: "A", durationMinutes: 60, position: 0 }, { title: "B", durationMinutes: 45, position: 1 }] },
        participants: { create: [{ userId: M.id }, { userId: L.id }] },
      },
    });
    // Called off: its hand-ins never count.
    const cancelled = await prisma.competition.create({
      data: {
        title: "Called off",
        lessonId: task.id,
        createdById: A.admin.id,
        orgId: A.org.id,
        startsAt: at(230),
        endsAt: at(300),
        cancelledAt: at(240),
        participants: { create: [{ userId: M.id }] },
      },
    });
    await prisma.taskSubmission.createMany({
      data: [
        { lessonId: task.id, userId: M.id, body: "in time", competitionId: competition.id, createdAt: at(250) },
        { lessonId: task.id, userId: L.id, body: "after the end", competitionId: competition.id, createdAt: at(301) },
        { lessonId: task.id, userId: M.id, body: "cancelled", competitionId: cancelled.id, createdAt: at(250) },
      ],
    });
    expect(await rebuildLedger(programmeA)).toBe(1);
    const { learners } = await programmeTotals(programmeA);
    expect(learners.find((x) => x.userId === M.id)!.assessment).toBe(was(M.id).assessment + 105);
    expect(learners.find((x) => x.userId === L.id)!.assessment).toBe(was(L.id).assessment);
    const entry = await prisma.hoursEntry.findFirstOrThrow({ where: { programmeId: programmeA, source: "assessment", sourceId: competition.id } });
    expect(entry).toMatchObject({ userId: M.id, day: "2026-03-02", minutes: 105 });
    expect(await rebuildLedger(programmeA)).toBe(0);
  });
});
