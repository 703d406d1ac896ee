// Mock competitions against the real database and the real route modules: who may create
// and see one, the hand-in window enforced by the server (before the start and after the end
// refused), marking through the ordinary marking code by the competition's markers only,
// release rules (not before the end, not while unmarked or flagged, not twice, at a set time),
// ranks with ties, certificates and notices, and the CSV / XLSX exports read back.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { enrol } from "~/domains/courses/courses.server";
import { submitTask } from "~/domains/courses/lessons.server";
import { assignMarker, learnerResult, markingQueue, markingView, releaseResult, replaceScheme, saveMark, submissionsForLead } from "~/domains/assessment/marking.server";
import {
  competitionResults,
  competitionView,
  createCompetition,
  handInToCompetition,
  releaseCompetition,
} from "~/domains/assessment/competitions.server";
import { competitionSchema } from "~/domains/assessment/validation";
import { addCompetitionFile, releaseDueCompetitions } from "~/domains/assessment/competitions.server";
import { canReadAsset } from "~/domains/courses/media.server";
import { action as competitionAction } from "~/routes/competitions.$competitionId._index";
import { action as editAction, loader as editLoader } from "~/routes/competitions.$competitionId.edit";
import { cancelCompetition, updateCompetition } from "~/domains/assessment/competitions.server";
import { competitionEditSchema } from "~/domains/assessment/validation";
import { loader as csvLoader } from "~/routes/competitions.$competitionId.results[.]csv";
import { loader as xlsxLoader } from "~/routes/competitions.$competitionId.results[.]xlsx";
import { makeCourse, makeUser, requestAs, TWO_ASPECT_SCHEME } from "./fixtures";

const scheme = TWO_ASPECT_SCHEME;

/** "YYYY-MM-DDTHH:mm" in Asia/Shanghai (the users' default zone) for an instant. */
function local(at: Date) {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
}
const HOUR = 3_600_000;

async function setup() {
  const lead = await makeUser("expert", "Lead Expert");
  const c = await makeCourse(lead.id);
  await replaceScheme(lead, c.task.id, scheme, { passMark: 50 });
  const markers = [await makeUser("expert", "Marker One"), await makeUser("expert", "Marker Two"), await makeUser("expert", "Marker Three")];
  const learners = [await makeUser("learner", "Ada"), await makeUser("learner", "Bo"), await makeUser("learner", "Cai"), await makeUser("learner", "Dee")];
  const outsider = await makeUser("learner", "Outsider");
  const form = (over: Record<string, string> = {}) =>
    competitionSchema.parse({
      title: "Mock plate weld",
      description: "Weld the **plate**",
      lessonId: c.task.id,
      startsAt: local(new Date(Date.now() - HOUR)),
      endsAt: local(new Date(Date.now() + HOUR)),
      participantEmails: learners.map((l) => l.email).join("\n"),
      markerEmails: markers.map((m) => m.email).join(", "),
      ...over,
    });
  return { lead, c, markers, learners, outsider, form };
}

const leadUser = (u: { id: string; role: string; name: string }) => ({ ...u, role: u.role as "expert", timeZone: "Asia/Shanghai" });

async function markAll(markers: { id: string; role: string; name: string }[], submissionId: string, measured: number, scores: number[]) {
  const view = await markingView(markers[0] as never, submissionId);
  const [measure, judge] = view.sections.flatMap((s) => s.criteria.flatMap((cr) => cr.aspects));
  await saveMark(markers[0] as never, submissionId, measure.id, { measured, feedback: "" });
  for (const [i, m] of markers.entries()) await saveMark(m as never, submissionId, judge.id, { score: scores[i], feedback: "" });
  return { measure, judge };
}

function multipart(body: string) {
  const fd = new FormData();
  fd.set("body", body);
  return { method: "POST", body: fd, headers: { Origin: "http://localhost" } };
}

describe("mock competitions", () => {
  it("refuses a learner, too few markers for judgement aspects, unknown people and another school's class", async () => {
    const { lead, markers, learners, form } = await setup();
    await expect(createCompetition({ ...learners[0], timeZone: "Asia/Shanghai" } as never, form())).rejects.toMatchObject({ status: 403 });
    await expect(createCompetition(leadUser(lead), form({ markerEmails: markers.slice(0, 2).map((m) => m.email).join("\n") }))).rejects.toMatchObject({ key: "competitions.errors.tooFewMarkers", params: { min: 3, count: 2 } });
    await expect(createCompetition(leadUser(lead), form({ participantEmails: "ghost@nowhere.test" }))).rejects.toMatchObject({ key: "competitions.errors.unknownLearners" });
    await expect(createCompetition(leadUser(lead), form({ markerEmails: `${markers.map((m) => m.email).join(" ")} ${learners[0].email}` }))).rejects.toMatchObject({ key: "competitions.errors.unknownMarkers" });
    await expect(createCompetition(leadUser(lead), form({ endsAt: local(new Date(Date.now() - 2 * HOUR)) }))).rejects.toMatchObject({ key: "competitions.errors.endBeforeStart" });
    // Another expert cannot use this course's task as a test project.
    const other = await makeUser("expert");
    await expect(createCompetition(leadUser(other), form())).rejects.toMatchObject({ key: "competitions.errors.projectRequired" });

    // A school admin: only of a verified school, only their own classes and learners.
    const admin = await makeUser("school_admin", "School Admin");
    const org = await prisma.organization.create({ data: { name: "Unverified school" } });
    await prisma.membership.create({ data: { orgId: org.id, userId: admin.id, role: "admin" } });
    await expect(createCompetition({ ...admin, timeZone: "Asia/Shanghai" } as never, form())).rejects.toMatchObject({ status: 403 });
    await prisma.organization.update({ where: { id: org.id }, data: { verifiedAt: new Date() } });
    const otherOrg = await prisma.organization.create({ data: { name: "Other school", verifiedAt: new Date() } });
    const foreignCohort = await prisma.cohort.create({ data: { orgId: otherOrg.id, name: "Their class" } });
    await expect(createCompetition({ ...admin, timeZone: "Asia/Shanghai" } as never, form({ participantEmails: "", cohortId: foreignCohort.id }))).rejects.toMatchObject({ key: "competitions.errors.noSuchCohort" });
    // Learners not of the admin's school are refused by e-mail.
    await expect(createCompetition({ ...admin, timeZone: "Asia/Shanghai" } as never, form())).rejects.toMatchObject({ key: "competitions.errors.unknownLearners" });
    const cohort = await prisma.cohort.create({ data: { orgId: org.id, name: "Welding 1" } });
    await prisma.membership.createMany({ data: learners.slice(0, 2).map((l) => ({ orgId: org.id, userId: l.id, role: "learner" as const })) });
    await prisma.cohortMember.createMany({ data: learners.slice(0, 2).map((l) => ({ cohortId: cohort.id, userId: l.id })) });
    const made = await createCompetition({ ...admin, timeZone: "Asia/Shanghai" } as never, form({ participantEmails: "", cohortId: cohort.id }));
    expect(made.orgId).toBe(org.id);
    expect(await prisma.competitionParticipant.count({ where: { competitionId: made.id } })).toBe(2);
    expect(await prisma.notification.count({ where: { kind: "competitionInvited", userId: learners[0].id } })).toBe(1);
    expect(await prisma.competition.count()).toBe(1);
  });

  it("a creator may create ten competitions an hour; the eleventh is refused with 429, nothing saved", async () => {
    const { lead, form } = await setup();
    for (let i = 0; i < 10; i++) await createCompetition(leadUser(lead), form({ title: `Round ${i}` }));
    await expect(createCompetition(leadUser(lead), form({ title: "One too many" }))).rejects.toMatchObject({ key: "competitions.errors.tooMany", status: 429 });
    expect(await prisma.competition.count({ where: { createdById: lead.id } })).toBe(10);
  });

  it("a hand-in with nothing in it, or too long a note, is refused on its field (Conform's reply, decision 031)", async () => {
    const { lead, learners, form } = await setup();
    const comp = await createCompetition(leadUser(lead), form());
    const url = `http://localhost/competitions/${comp.id}?upload=handIn`;
    type Reply = { init: { status: number }; data: { error: Record<string, string[]>; initialValue: Record<string, unknown> } };
    const empty = (await competitionAction({ request: await requestAs(learners[0].id, url, multipart("")), params: { competitionId: comp.id }, context: {} })) as unknown as Reply;
    expect(empty.init.status).toBe(400);
    expect(empty.data.error.file).toEqual(["courses:errors.upload_missing"]);
    const long = (await competitionAction({ request: await requestAs(learners[0].id, url, multipart("x".repeat(5001))), params: { competitionId: comp.id }, context: {} })) as unknown as Reply;
    expect(long.data.error.body).toEqual(["competitions.errors.tooLong"]);
    expect(await prisma.taskSubmission.count({ where: { competitionId: comp.id } })).toBe(0);
  });

  it("the server refuses hand-ins before the start and after the end; non-participants get 404", async () => {
    const { lead, learners, outsider, form } = await setup();
    const comp = await createCompetition(leadUser(lead), form({ startsAt: local(new Date(Date.now() + HOUR)), endsAt: local(new Date(Date.now() + 2 * HOUR)) }));
    const url = `http://localhost/competitions/${comp.id}?upload=handIn`;
    const early = (await competitionAction({ request: await requestAs(learners[0].id, url, multipart("too early")), params: { competitionId: comp.id }, context: {} })) as unknown as { init: { status: number }; data: { error: string } };
    expect(early.init.status).toBe(409);
    expect(early.data.error).toBe("competitions.errors.notStarted");
    expect(await prisma.taskSubmission.count({ where: { competitionId: comp.id } })).toBe(0);

    // Open: accepted once; a second hand-in is refused.
    await prisma.competition.update({ where: { id: comp.id }, data: { startsAt: new Date(Date.now() - HOUR) } });
    const ok = await competitionAction({ request: await requestAs(learners[0].id, url, multipart("my weld")), params: { competitionId: comp.id }, context: {} });
    expect(ok).toEqual({ ok: "handedIn" });
    await expect(handInToCompetition(learners[0], comp.id, "again", null)).rejects.toMatchObject({ key: "competitions.errors.alreadyHandedIn", status: 409 });

    // Ended: refused, nothing stored.
    await prisma.competition.update({ where: { id: comp.id }, data: { endsAt: new Date(Date.now() - 1000) } });
    const late = (await competitionAction({ request: await requestAs(learners[1].id, url, multipart("too late")), params: { competitionId: comp.id }, context: {} })) as unknown as { init: { status: number }; data: { error: string } };
    expect(late.init.status).toBe(409);
    expect(late.data.error).toBe("competitions.errors.ended");
    expect(await prisma.taskSubmission.count({ where: { competitionId: comp.id } })).toBe(1);

    // Not a participant: the competition does not exist for them.
    await expect(competitionView(outsider, comp.id)).rejects.toMatchObject({ status: 404 });
    await expect(competitionResults(outsider, comp.id)).rejects.toMatchObject({ status: 404 });
    const stranger = await competitionAction({ request: await requestAs(outsider.id, url, multipart("sneak")), params: { competitionId: comp.id }, context: {} }).catch((e: Response) => e);
    expect((stranger as Response).status).toBe(404);
    expect(await prisma.taskSubmission.count({ where: { competitionId: comp.id } })).toBe(1);
    // A participant cannot release; a marker cannot either.
    await expect(releaseCompetition(learners[0], comp.id)).rejects.toMatchObject({ status: 403 });
  });

  it("competition markers mark through the marking queue; the course's markers and pages never see the hand-ins", async () => {
    const { lead, c, markers, learners, form } = await setup();
    const courseMarker = await makeUser("expert", "Course Marker");
    await assignMarker(lead, c.task.id, courseMarker.id);
    await enrol(learners[1], c.course.id);
    const courseSub = await submitTask(learners[1].id, c.task.id, "course work", null);
    const comp = await createCompetition(leadUser(lead), form());
    const sub = await handInToCompetition(learners[0], comp.id, "competition work", null);

    expect((await markingQueue(markers[0])).map((q) => q.id)).toEqual([sub.id]);
    expect((await markingQueue(markers[0]))[0].lesson).toBe("Mock plate weld");
    expect((await markingQueue(courseMarker)).map((q) => q.id)).toEqual([courseSub.id]);
    await expect(markingView(courseMarker, sub.id)).rejects.toMatchObject({ status: 403 });
    await expect(markingView(markers[0], courseSub.id)).rejects.toMatchObject({ status: 403 });
    // The course's pages: the competition hand-in is not the learner's course hand-in.
    expect(await learnerResult(learners[0].id, c.task.id)).toEqual({ status: "none" });
    expect((await submissionsForLead(lead, c.task.id)).map((s) => s.id)).toEqual([courseSub.id]);
    // A course release cannot release a competition hand-in.
    await expect(releaseResult(lead, sub.id)).rejects.toMatchObject({ status: 409 });
  });

  it("test-project files: the creator adds them; competitors and markers read them, nobody else; hand-in files: the competition's markers, not the task's", async () => {
    const { lead, c, markers, learners, outsider, form } = await setup();
    const comp = await createCompetition(leadUser(lead), form());
    const file = await prisma.asset.create({ data: { ownerId: lead.id, storageKey: `files/comp/${comp.id}.pdf`, originalName: "drawing.pdf", mimeType: "application/pdf", sizeBytes: 10n } });
    await expect(addCompetitionFile(learners[0], comp.id, file.id)).rejects.toMatchObject({ status: 403 });
    await addCompetitionFile(lead, comp.id, file.id);
    expect(await canReadAsset(learners[0], file.id)).toBe(true);
    expect(await canReadAsset(markers[1], file.id)).toBe(true);
    expect(await canReadAsset(outsider, file.id)).toBe(false);
    const photo = await prisma.asset.create({ data: { ownerId: learners[0].id, storageKey: `files/comp/${comp.id}.png`, originalName: "weld.png", mimeType: "image/png", sizeBytes: 10n } });
    await handInToCompetition(learners[0], comp.id, "", photo.id);
    const courseMarker = await makeUser("expert");
    await assignMarker(lead, c.task.id, courseMarker.id);
    expect(await canReadAsset(markers[2], photo.id)).toBe(true);
    expect(await canReadAsset(courseMarker, photo.id)).toBe(false);
    expect(await canReadAsset(learners[1], photo.id)).toBe(false);
    // After the end no file can be added.
    await prisma.competition.update({ where: { id: comp.id }, data: { endsAt: new Date(Date.now() - 1000) } });
    await expect(addCompetitionFile(lead, comp.id, file.id)).rejects.toMatchObject({ key: "competitions.errors.ended" });
  });

  it("release: not before the end, not while unmarked or flagged, then ranks with ties, medals, certificates and notices; never twice", async () => {
    const { lead, markers, learners, form } = await setup();
    const comp = await createCompetition(leadUser(lead), form());
    const subs = [];
    for (const l of learners.slice(0, 3)) subs.push(await handInToCompetition(l, comp.id, `${l.name} work`, null));
    // Ada and Bo tie (40 + 60), Cai lower; Dee never hands in.
    await markAll(markers, subs[0].id, 0.2, [3, 3, 3]);
    await markAll(markers, subs[1].id, 0.4, [3, 3, 3]);
    await expect(releaseCompetition(lead, comp.id)).rejects.toMatchObject({ key: "competitions.errors.notEnded" });
    await prisma.competition.update({ where: { id: comp.id }, data: { endsAt: new Date(Date.now() - 1000) } });
    await expect(releaseCompetition(lead, comp.id)).rejects.toMatchObject({ key: "competitions.errors.notMarked" });
    const { judge } = await markAll(markers, subs[2].id, 0.8, [0, 2, 1]);
    await expect(releaseCompetition(lead, comp.id)).rejects.toMatchObject({ key: "competitions.errors.flagged" });
    await saveMark(markers[0], subs[2].id, judge.id, { score: 1, feedback: "re-scored" });
    await saveMark(markers[1], subs[2].id, judge.id, { score: 1, feedback: "" });
    await saveMark(markers[2], subs[2].id, judge.id, { score: 1, feedback: "" });

    // Before release: participants and markers see "being marked" and no marks; the creator sees the draft standing.
    for (const who of [learners[0], markers[0]]) {
      const r = await competitionResults(who, comp.id);
      expect(r.status).toBe("marking");
      expect(JSON.stringify(r)).not.toContain("Bo");
    }
    const draft = await competitionResults(lead, comp.id);
    expect(draft.status).toBe("draft");

    expect(await releaseCompetition(lead, comp.id)).toEqual({ competitors: 3 });
    await expect(releaseCompetition(lead, comp.id)).rejects.toMatchObject({ key: "competitions.errors.alreadyReleased", status: 409 });
    const r = await competitionResults(learners[2], comp.id);
    if (r.status !== "released") throw new Error("not released");
    expect(r.rows.map((x) => [x.name, x.rank, x.raw, x.medal])).toEqual([
      ["Ada", 1, 100, "gold"],
      ["Bo", 1, 100, "gold"],
      ["Cai", 3, 40, "bronze"],
    ]);
    expect(r.criteria.map((x) => x.code)).toEqual(["A", "B"]);
    expect(r.rows[2].criteria).toEqual([20, 20]);
    expect(r.mine?.name).toBe("Cai");
    expect(r.distribution.reduce((a, b) => a + b.value, 0)).toBe(3);
    expect(r.certificate).toMatch(/^[0-9A-Z]{16}$/);
    const certs = await prisma.certificate.findMany({ where: { competitionId: comp.id }, orderBy: { holderName: "asc" } });
    expect(certs.map((x) => [x.holderName, x.kind])).toEqual([["Ada", "competition"], ["Bo", "competition"], ["Cai", "competition"]]);
    expect(certs[0].achievement).toContain("金牌");
    expect(await prisma.notification.count({ where: { kind: "competitionResult" } })).toBe(3);
    expect(await prisma.notification.count({ where: { kind: "competitionResult", userId: learners[3].id } })).toBe(0);
    // Marks are locked once released.
    await expect(saveMark(markers[0], subs[0].id, judge.id, { score: 0, feedback: "" })).rejects.toMatchObject({ status: 409 });
  });

  it("the server's scheduler releases at the set time without anyone opening a page; competitors are notified", async () => {
    const { lead, markers, learners, form } = await setup();
    const comp = await createCompetition(leadUser(lead), form({ releaseAt: local(new Date(Date.now() + 2 * HOUR)) }));
    const a = await handInToCompetition(learners[0], comp.id, "a", null);
    await markAll(markers, a.id, 0.5, [2, 2, 2]);
    await prisma.competition.update({ where: { id: comp.id }, data: { endsAt: new Date(Date.now() - 2000) } });
    expect(await releaseDueCompetitions()).toBe(0);
    expect((await prisma.competition.findUniqueOrThrow({ where: { id: comp.id } })).releasedAt).toBeNull();
    await prisma.competition.update({ where: { id: comp.id }, data: { releaseAt: new Date(Date.now() - 1000) } });
    const before = await prisma.notification.count({ where: { userId: learners[0].id, kind: "competitionResult" } });
    expect(await releaseDueCompetitions()).toBeGreaterThanOrEqual(1);
    expect((await prisma.competition.findUniqueOrThrow({ where: { id: comp.id } })).releasedAt).not.toBeNull();
    expect(await prisma.notification.count({ where: { userId: learners[0].id, kind: "competitionResult" } })).toBe(before + 1);
    // Twice at once (two processes): released once.
    await Promise.all([releaseDueCompetitions(), releaseDueCompetitions()]);
    expect(await prisma.auditEntry.count({ where: { action: "assessment.competition.autoRelease", subjectId: comp.id } })).toBe(1);
  });

  it("a set release time releases once marking is finished; exports for the creator only, read back", async () => {
    const { lead, markers, learners, form } = await setup();
    const comp = await createCompetition(leadUser(lead), form({ releaseAt: local(new Date(Date.now() + 2 * HOUR)) }));
    const a = await handInToCompetition(learners[0], comp.id, "a", null);
    const b = await handInToCompetition(learners[1], comp.id, "b", null);
    await markAll(markers, a.id, 0.7, [2, 2, 2]);
    await markAll(markers, b.id, 0.1, [2, 3, 3]);
    await prisma.competition.update({ where: { id: comp.id }, data: { endsAt: new Date(Date.now() - 2000) } });
    // The release time has not come: still being marked.
    expect((await competitionResults(learners[0], comp.id)).status).toBe("marking");
    await prisma.competition.update({ where: { id: comp.id }, data: { releaseAt: new Date(Date.now() - 1000) } });
    const r = await competitionResults(learners[0], comp.id);
    expect(r.status).toBe("released");
    expect(await prisma.auditEntry.count({ where: { action: "assessment.competition.autoRelease", subjectId: comp.id } })).toBe(1);

    const params = { competitionId: comp.id };
    const csv = await csvLoader({ request: await requestAs(lead.id, `http://localhost/competitions/${comp.id}/results.csv`, { headers: { "Accept-Language": "en" } }), params, context: {} });
    expect(csv.headers.get("Content-Type")).toContain("text/csv");
    const lines = (await csv.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("Rank,Name,A,B,Raw score,Standardised score,Medal");
    expect(lines[1]).toMatch(/^1,Bo,40,/);
    expect(lines[2]).toMatch(/^2,Ada,20,40,60,/);

    const xlsx = await xlsxLoader({ request: await requestAs(lead.id, `http://localhost/competitions/${comp.id}/results.xlsx`, { headers: { "Accept-Language": "en" } }), params, context: {} });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).values).toEqual([undefined, "Rank", "Name", "A", "B", "Raw score", "Standardised score", "Medal"]);
    expect(ws.getRow(2).getCell(2).value).toBe("Bo");
    expect(ws.getRow(2).getCell(7).value).toBe("Gold");
    expect(ws.getRow(3).getCell(7).value).toBe("Silver");
    expect(ws.getRow(3).getCell(5).value).toBe(60);

    for (const who of [learners[0], markers[0]]) {
      const res = await csvLoader({ request: await requestAs(who.id, `http://localhost/competitions/${comp.id}/results.csv`), params, context: {} }).catch((e: Response) => e);
      expect((res as Response).status).toBe(403);
    }
    const outsider = await xlsxLoader({ request: await requestAs((await makeUser("expert")).id, `http://localhost/competitions/${comp.id}/results.xlsx`), params, context: {} }).catch((e: Response) => e);
    expect((outsider as Response).status).toBe(404);
  });
});

describe("editing and cancelling a competition", () => {
  const post = (fields: Record<string, string>) => {
    const body = new URLSearchParams(fields);
    return { method: "POST", body, headers: { Origin: "http://localhost", "Content-Type": "application/x-www-form-urlencoded" } };
  };
  const call = async (userId: string, id: string, fields: Record<string, string>) =>
    editAction({ request: await requestAs(userId, `http://localhost/competitions/${id}/edit`, post(fields)), params: { competitionId: id }, context: {} }).catch((e: Response) => e);
  const statusOf = (r: unknown) => (r instanceof Response ? r.status : (r as { init?: { status?: number } }).init?.status);
  const editForm = (over: Record<string, string>) => ({ title: "Mock plate weld", description: "", startsAt: "", endsAt: "", releaseAt: "", participantEmails: "", cohortId: "", markerEmails: "", briefingUrl: "", ...over });

  it("the creator moves an upcoming window and adds a competitor; everyone is told; the start is locked once it began, the end once it closed", async () => {
    const { lead, markers, learners, outsider, form } = await setup();
    const startsAt = new Date(Date.now() + 2 * HOUR);
    const comp = await createCompetition(leadUser(lead), form({ startsAt: local(startsAt), endsAt: local(new Date(startsAt.getTime() + HOUR)), participantEmails: learners.slice(0, 3).map((l) => l.email).join(" ") }));
    const newStart = new Date(Math.floor((Date.now() + 3 * HOUR) / 60_000) * 60_000);
    const newEnd = new Date(newStart.getTime() + 2 * HOUR);

    // Through the route: the form's values come back as datetime-local in the creator's zone.
    const loaded = (await editLoader({ request: await requestAs(lead.id, `http://localhost/competitions/${comp.id}/edit`), params: { competitionId: comp.id }, context: {} })) as { competition: { values: { startsAt: string } } };
    expect(loaded.competition.values.startsAt).toBe(local(startsAt));
    const saved = await call(lead.id, comp.id, editForm({ title: "Mock plate weld (moved)", startsAt: local(newStart), endsAt: local(newEnd), participantEmails: learners[3].email! }));
    expect(statusOf(saved)).toBe(302);
    const after = await prisma.competition.findUniqueOrThrow({ where: { id: comp.id }, include: { participants: true } });
    expect(after.title).toBe("Mock plate weld (moved)");
    expect(after.startsAt.getTime()).toBe(newStart.getTime());
    expect(after.participants).toHaveLength(4);
    expect(await prisma.notification.count({ where: { kind: "competitionChanged", userId: { in: [...learners.slice(0, 3), ...markers].map((u) => u.id) } } })).toBe(6);
    expect(await prisma.notification.count({ where: { kind: "competitionInvited", userId: learners[3].id } })).toBe(1);
    expect(await prisma.auditEntry.count({ where: { action: "assessment.competition.update", subjectId: comp.id } })).toBe(1);

    // Bad input: a 400 with the field's key, nothing changed.
    const bad = (await call(lead.id, comp.id, editForm({ title: "", startsAt: local(newStart), endsAt: local(newEnd) }))) as { init: { status: number }; data: { error: Record<string, string[]> } };
    expect(bad.init.status).toBe(400);
    expect(bad.data.error.title).toEqual(["competitions.errors.titleRequired"]);
    const unknown = (await call(lead.id, comp.id, editForm({ startsAt: local(newStart), endsAt: local(newEnd), participantEmails: "ghost@nowhere.test" }))) as { init: { status: number }; data: { error: Record<string, string[]> } };
    expect(unknown.init.status).toBe(400);
    expect(unknown.data.error[""]?.[0]).toContain("ghost@nowhere.test");

    // Not the creator: a learner is refused by role, another expert and a marker get 404 / 403.
    expect(statusOf(await call(learners[0].id, comp.id, editForm({ startsAt: local(newStart), endsAt: local(newEnd) })))).toBe(403);
    const stranger = await makeUser("expert");
    expect(statusOf(await call(stranger.id, comp.id, editForm({ startsAt: local(newStart), endsAt: local(newEnd) })))).toBe(404);
    expect(statusOf(await call(markers[0].id, comp.id, editForm({ startsAt: local(newStart), endsAt: local(newEnd) })))).toBe(403);
    expect(statusOf(await call(outsider.id, comp.id, { intent: "cancel", reason: "sabotage" }))).toBe(403);
    expect((await prisma.competition.findUniqueOrThrow({ where: { id: comp.id } })).cancelledAt).toBeNull();

    // Started: the start is locked, the end may be extended.
    await prisma.competition.update({ where: { id: comp.id }, data: { startsAt: new Date(Date.now() - HOUR) } });
    const running = await prisma.competition.findUniqueOrThrow({ where: { id: comp.id } });
    const edit = (over: Record<string, string>) => competitionEditSchema.parse(editForm({ startsAt: local(running.startsAt), endsAt: local(running.endsAt), ...over }));
    await expect(updateCompetition(leadUser(lead), comp.id, edit({ startsAt: local(new Date(Date.now() + HOUR)) }))).rejects.toMatchObject({ key: "competitions.errors.startLocked" });
    const longer = new Date(Math.floor((running.endsAt.getTime() + HOUR) / 60_000) * 60_000);
    await updateCompetition(leadUser(lead), comp.id, edit({ endsAt: local(longer) }));
    expect((await prisma.competition.findUniqueOrThrow({ where: { id: comp.id } })).endsAt.getTime()).toBe(longer.getTime());

    // Closed: the end is locked, no competitor can be added; the title still can change.
    await prisma.competition.update({ where: { id: comp.id }, data: { endsAt: new Date(Date.now() - 60_000) } });
    const closed = await prisma.competition.findUniqueOrThrow({ where: { id: comp.id } });
    const closedEdit = (over: Record<string, string>) => competitionEditSchema.parse(editForm({ startsAt: local(closed.startsAt), endsAt: local(closed.endsAt), ...over }));
    await expect(updateCompetition(leadUser(lead), comp.id, closedEdit({ endsAt: local(new Date(Date.now() + HOUR)) }))).rejects.toMatchObject({ key: "competitions.errors.endLocked" });
    await expect(updateCompetition(leadUser(lead), comp.id, closedEdit({ participantEmails: outsider.email! }))).rejects.toMatchObject({ key: "competitions.errors.ended" });
    await updateCompetition(leadUser(lead), comp.id, closedEdit({ title: "Renamed after the end" }));
    expect((await prisma.competition.findUniqueOrThrow({ where: { id: comp.id } })).title).toBe("Renamed after the end");
  });

  it("cancelling stops hand-ins, the release and the scheduler; competitors and markers are told why; only once, never after release", async () => {
    const { lead, markers, learners, form } = await setup();
    const comp = await createCompetition(leadUser(lead), form());
    await handInToCompetition(learners[0], comp.id, "my weld", null);

    const noReason = (await call(lead.id, comp.id, { intent: "cancel", reason: "  " })) as { init: { status: number }; data: { error: Record<string, string[]> } };
    expect(noReason.init.status).toBe(400);
    expect(noReason.data.error.reason).toEqual(["competitions.errors.reasonRequired"]);
    expect(statusOf(await call(lead.id, comp.id, { intent: "cancel", reason: "The workshop is closed for repairs" }))).toBe(302);
    const cancelled = await prisma.competition.findUniqueOrThrow({ where: { id: comp.id } });
    expect(cancelled.cancelledAt).not.toBeNull();
    expect(cancelled.cancelReason).toBe("The workshop is closed for repairs");
    expect(await prisma.notification.count({ where: { kind: "competitionCancelled", userId: { in: [...learners, ...markers].map((u) => u.id) } } })).toBe(learners.length + markers.length);
    // The hand-in made before stays; new ones are refused; release and the scheduler refuse too.
    expect(await prisma.taskSubmission.count({ where: { competitionId: comp.id } })).toBe(1);
    await expect(handInToCompetition(learners[1], comp.id, "late", null)).rejects.toMatchObject({ key: "competitions.errors.cancelled", status: 409 });
    await prisma.competition.update({ where: { id: comp.id }, data: { endsAt: new Date(Date.now() - 1000), releaseAt: new Date(Date.now() - 500) } });
    await expect(releaseCompetition(leadUser(lead), comp.id)).rejects.toMatchObject({ key: "competitions.errors.cancelled" });
    expect(await releaseDueCompetitions()).toBe(0);
    // Twice: a 409; no edit either.
    await expect(cancelCompetition(leadUser(lead), comp.id, "again")).rejects.toMatchObject({ key: "competitions.errors.cancelled", status: 409 });
    const c2 = await prisma.competition.findUniqueOrThrow({ where: { id: comp.id } });
    await expect(updateCompetition(leadUser(lead), comp.id, competitionEditSchema.parse(editForm({ startsAt: local(c2.startsAt), endsAt: local(c2.endsAt) })))).rejects.toMatchObject({ key: "competitions.errors.cancelled", status: 409 });
    // The competitor's page says so.
    const view = await competitionView(learners[0], comp.id);
    expect(view.competition.cancelReason).toBe("The workshop is closed for repairs");

    // Released results cannot be cancelled.
    const other = await createCompetition(leadUser(lead), form({ title: "Second round" }));
    await prisma.competition.update({ where: { id: other.id }, data: { releasedAt: new Date() } });
    await expect(cancelCompetition(leadUser(lead), other.id, "too late")).rejects.toMatchObject({ key: "competitions.errors.alreadyReleased", status: 409 });
  });
});

describe("removing a competitor", () => {
  const post = (fields: Record<string, string>) => ({ method: "POST", body: new URLSearchParams(fields), headers: { Origin: "http://localhost", "Content-Type": "application/x-www-form-urlencoded" } });
  const call = async (userId: string, id: string, fields: Record<string, string>) =>
    competitionAction({ request: await requestAs(userId, `http://localhost/competitions/${id}`, post(fields)), params: { competitionId: id }, context: {} }).catch((e: Response) => e);
  const statusOf = (r: unknown) => (r instanceof Response ? r.status : ((r as { init?: { status?: number } }).init?.status ?? 200));

  it("the organiser removes a competitor before the start: they are told, no longer see it and cannot hand in; others are refused", async () => {
    const { lead, markers, learners, outsider, form } = await setup();
    const startsAt = new Date(Date.now() + HOUR);
    const comp = await createCompetition(leadUser(lead), form({ startsAt: local(startsAt), endsAt: local(new Date(startsAt.getTime() + HOUR)) }));
    const [gone, stays] = learners;

    // Not the organiser: a competitor and a marker are refused (403), another expert and an outsider never learn it exists (404).
    const otherExpert = await makeUser("expert");
    expect(statusOf(await call(stays.id, comp.id, { intent: "removeParticipant", userId: gone.id }))).toBe(403);
    expect(statusOf(await call(markers[0].id, comp.id, { intent: "removeParticipant", userId: gone.id }))).toBe(403);
    expect(statusOf(await call(otherExpert.id, comp.id, { intent: "removeParticipant", userId: gone.id }))).toBe(404);
    expect(statusOf(await call(outsider.id, comp.id, { intent: "removeParticipant", userId: gone.id }))).toBe(404);
    // Someone else's competition: the other expert's own competition id does not let them touch this one, nor this organiser theirs.
    const theirCourse = await makeCourse(otherExpert.id);
    await replaceScheme(otherExpert, theirCourse.task.id, scheme);
    const theirs = await createCompetition(leadUser(otherExpert), form({ title: "Theirs", lessonId: theirCourse.task.id }));
    expect(statusOf(await call(lead.id, theirs.id, { intent: "removeParticipant", userId: gone.id }))).toBe(404);
    expect(await prisma.competitionParticipant.count({ where: { competitionId: theirs.id } })).toBe(learners.length);
    // Malformed input: a 400, never a 500; nothing removed.
    for (const bad of [{ intent: "removeParticipant" }, { intent: "removeParticipant", userId: "x".repeat(200) }, { intent: "removeParticipant", userId: "../etc\u0000" }, { intent: "dance" }, {}])
      expect(statusOf(await call(lead.id, comp.id, bad as Record<string, string>))).toBe(400);
    // Not a competitor: a 404 reply, nothing changes.
    expect(statusOf(await call(lead.id, comp.id, { intent: "removeParticipant", userId: outsider.id }))).toBe(404);
    expect(await prisma.competitionParticipant.count({ where: { competitionId: comp.id } })).toBe(learners.length);
    expect(await prisma.notification.count({ where: { kind: "competitionRemoved" } })).toBe(0);

    // The organiser removes one.
    const ok = await call(lead.id, comp.id, { intent: "removeParticipant", userId: gone.id });
    expect(ok).toEqual({ ok: "removed" });
    expect(await prisma.competitionParticipant.count({ where: { competitionId: comp.id } })).toBe(learners.length - 1);
    const notice = await prisma.notification.findFirstOrThrow({ where: { kind: "competitionRemoved", userId: gone.id } });
    expect(notice.title).toContain("Mock plate weld");
    expect(await prisma.notification.count({ where: { kind: "competitionRemoved" } })).toBe(1);
    const audit = await prisma.auditEntry.findFirstOrThrow({ where: { action: "assessment.competition.removeParticipant", subjectId: comp.id } });
    expect(audit.actorId).toBe(lead.id);
    // Twice: not a competitor any more.
    expect(statusOf(await call(lead.id, comp.id, { intent: "removeParticipant", userId: gone.id }))).toBe(404);

    // The removed learner no longer sees it and the server refuses their hand-in once it opens.
    await expect(competitionView(gone, comp.id)).rejects.toMatchObject({ status: 404 });
    await prisma.competition.update({ where: { id: comp.id }, data: { startsAt: new Date(Date.now() - 60_000) } });
    const url = `http://localhost/competitions/${comp.id}?upload=handIn`;
    const refused = await competitionAction({ request: await requestAs(gone.id, url, multipart("sneaking in")), params: { competitionId: comp.id }, context: {} }).catch((e: Response) => e);
    expect((refused as Response).status).toBe(404);
    await expect(handInToCompetition(gone, comp.id, "again", null)).rejects.toMatchObject({ status: 404 });
    expect(await handInToCompetition(stays, comp.id, "my weld", null)).toMatchObject({ userId: stays.id });
    expect(await prisma.taskSubmission.count({ where: { competitionId: comp.id } })).toBe(1);

    // Started: removal is refused with the reason; the field stays as it is.
    const late = (await call(lead.id, comp.id, { intent: "removeParticipant", userId: stays.id })) as { init: { status: number }; data: { error: string } };
    expect(late.init.status).toBe(409);
    expect(late.data.error).toBe("competitions.errors.removeStarted");
    expect(await prisma.competitionParticipant.count({ where: { competitionId: comp.id, userId: stays.id } })).toBe(1);
  });

  it("a cancelled competition refuses removal", async () => {
    const { lead, learners, form } = await setup();
    const startsAt = new Date(Date.now() + HOUR);
    const comp = await createCompetition(leadUser(lead), form({ startsAt: local(startsAt), endsAt: local(new Date(startsAt.getTime() + HOUR)) }));
    await cancelCompetition(leadUser(lead), comp.id, "Workshop closed");
    const r = (await call(lead.id, comp.id, { intent: "removeParticipant", userId: learners[0].id })) as { init: { status: number }; data: { error: string } };
    expect(r.init.status).toBe(409);
    expect(r.data.error).toBe("competitions.errors.cancelled");
  });
});
