// The third batch of forms moved to Conform (decision 031): a refused form answers Conform's
// reply — the error keys on their fields, what was typed given back (never an ID number) —
// with the old status codes; the pages render those errors (see the e2e specs).
import { describe, expect, it } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { prisma } from "~/domains/db.server";
import { action as learnersAction } from "~/routes/school.learners";
import { action as cohortAction } from "~/routes/school.cohorts.$cohortId";
import { action as importAction } from "~/routes/school.import";
import { action as availabilityAction } from "~/routes/schedule.availability";
import { action as expertBoardAction } from "~/routes/schedule.experts.$expertId";
import { action as cohortBookAction } from "~/routes/schedule.cohort";
import { action as teachAction } from "~/routes/teach._index";
import { action as courseEditorAction } from "~/routes/teach.courses.$courseId._index";
import { action as lessonEditorAction } from "~/routes/teach.courses.$courseId.lessons.$lessonId._index";
import { action as schemeAction } from "~/routes/teach.courses.$courseId.lessons.$lessonId.scheme";
import { replaceScheme } from "~/domains/assessment/marking.server";
import { action as expertReviewAction } from "~/routes/admin.experts.$applicationId";
import { action as orgReviewAction } from "~/routes/admin.organisations.$orgId";
import { action as orgListAction } from "~/routes/admin.organisations._index";
import { action as certificatesAction } from "~/routes/admin.certificates";
import { action as usersAction } from "~/routes/admin.users";
import { action as regionsAction } from "~/routes/admin.regions";
import { action as skillsAction } from "~/routes/admin.skills";
import { makeCourse as makeAuthoredCourse } from "./fixtures";
import { addLearner, bodyOf, formErrorsOf, makeCohort, makeCourse, makeOrg, makeUser, requestAs, settle, statusOf } from "./schools-fixtures";

type Action = (args: ActionFunctionArgs) => Promise<unknown>;

async function post(fn: Action, userId: string, path: string, fields: Record<string, string | string[]>, params: Record<string, string> = {}) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return settle(fn({ request: await requestAs(userId, path, { method: "POST", body }), params, context: {} }));
}

/** As a plain <Form> posts (urlencoded): the scheme page reads a multipart body as its xlsx import. */
async function postEncoded(fn: Action, userId: string, path: string, fields: Record<string, string>, params: Record<string, string> = {}) {
  return settle(fn({ request: await requestAs(userId, path, { method: "POST", body: new URLSearchParams(fields) }), params, context: {} }));
}

const initialValue = (result: unknown) => bodyOf<{ initialValue: Record<string, unknown> | null }>(result).initialValue;

describe("replies of the third batch of converted forms", () => {
  it("/school/learners invite: each row check on its field, its value beside the reply, the ID number never sent back", async () => {
    const A = await makeOrg();
    const cohort = await makeCohort(A.org.id);
    const bad = await post(learnersAction, A.admin.id, "/school/learners", { intent: "invite", target: `cohort:${cohort.id}`, name: "", phone: "12345", email: "", idNumber: "513431199003070011" });
    expect(statusOf(bad.value)).toBe(400);
    expect(formErrorsOf(bad.value, "name")).toEqual(["rowErrors.nameRequired"]);
    expect(formErrorsOf(bad.value, "phone")).toEqual(["rowErrors.phoneInvalid"]);
    expect(bodyOf<{ params: Record<string, { value: string }> }>(bad.value).params["rowErrors.phoneInvalid"].value).toBe("12345");
    expect(initialValue(bad.value)).toMatchObject({ intent: "invite", target: `cohort:${cohort.id}`, phone: "12345" });
    expect(JSON.stringify(bodyOf(bad.value))).not.toContain("513431199003070011");
    const noContact = await post(learnersAction, A.admin.id, "/school/learners", { intent: "invite", target: `org:${A.org.id}`, name: "阿依", phone: "", email: "", idNumber: "" });
    expect(statusOf(noContact.value)).toBe(400);
    expect(formErrorsOf(noContact.value).length).toBeGreaterThan(0);
    // A success empties the form (Conform's reset) and says who was added.
    const ok = await post(learnersAction, A.admin.id, "/school/learners", { intent: "invite", target: `cohort:${cohort.id}`, name: "海来阿依", phone: "13800138055", email: "", idNumber: "" });
    expect(statusOf(ok.value)).toBe(200);
    expect(bodyOf(ok.value)).toMatchObject({ intent: "invite", ok: true, name: "海来阿依", initialValue: null });
  });

  it("/school/cohorts/:id: course and due date on their fields, a row's reply carries its row; no ticked learner is refused on the list", async () => {
    const A = await makeOrg();
    const cohort = await makeCohort(A.org.id);
    const path = `/school/cohorts/${cohort.id}`;
    const params = { cohortId: cohort.id };
    const none = await post(cohortAction, A.admin.id, path, { intent: "assign", courseId: "", dueDate: "2031-01-01" }, params);
    expect(statusOf(none.value)).toBe(400);
    expect(formErrorsOf(none.value, "courseId")).toEqual(["errors.courseRequired"]);
    const course = await makeCourse();
    const badDay = await post(cohortAction, A.admin.id, path, { intent: "assign", row: "x1", courseId: course.id, dueDate: "2031-02-30" }, params);
    expect(statusOf(badDay.value)).toBe(400);
    expect(formErrorsOf(badDay.value, "dueDate")).toEqual(["errors.dueDateInvalid"]);
    expect(bodyOf<{ initialValue: Record<string, unknown> }>(badDay.value).initialValue).toMatchObject({ row: "x1", dueDate: "2031-02-30" });
    const draft = await makeCourse({ status: "draft" });
    const unpublished = await post(cohortAction, A.admin.id, path, { intent: "assign", courseId: draft.id, dueDate: "2031-01-01" }, params);
    expect(formErrorsOf(unpublished.value, "courseId")).toEqual(["errors.courseNotPublished"]);
    const nobody = await post(cohortAction, A.admin.id, path, { intent: "addMembers" }, params);
    expect(statusOf(nobody.value)).toBe(400);
    expect(formErrorsOf(nobody.value, "userId")).toEqual(["errors.pickLearners"]);
    // One ticked box arrives as a string: still a list.
    const learner = await addLearner(A.org.id);
    const one = await post(cohortAction, A.admin.id, path, { intent: "addMembers", userId: learner.id }, params);
    expect(statusOf(one.value)).toBe(200);
    expect(await prisma.cohortMember.count({ where: { cohortId: cohort.id, userId: learner.id } })).toBe(1);
  });

  it("/school/import: a refused file is the file field's error (a header problem, or how many lines have problems), the target kept", async () => {
    const A = await makeOrg();
    const upload = async (csv: string) => {
      const body = new FormData();
      body.append("target", `org:${A.org.id}`);
      body.append("file", new File([csv], "class.csv", { type: "text/csv" }));
      return settle(importAction({ request: await requestAs(A.admin.id, "/school/import", { method: "POST", body }), params: {}, context: {} }));
    };
    const empty = await upload("");
    expect(statusOf(empty.value)).toBe(400);
    expect(formErrorsOf(empty.value, "file")).toEqual(["fileErrors.empty"]);
    expect(bodyOf<{ initialValue: Record<string, unknown> }>(empty.value).initialValue).toMatchObject({ target: `org:${A.org.id}` });
    const badRows = await upload("姓名,手机号\r\n,13800138001\r\n王建国,12345\r\n");
    expect(statusOf(badRows.value)).toBe(400);
    expect(formErrorsOf(badRows.value, "file")).toEqual(["import.errorsSummary"]);
    expect(bodyOf<{ errors: unknown[] }>(badRows.value).errors).toHaveLength(2);
    const good = await upload("姓名,手机号\r\n王建国,13800138002\r\n");
    expect(statusOf(good.value)).toBe(200);
    expect(bodyOf(good.value)).toMatchObject({ stage: "preview", ok: true });
    expect(formErrorsOf(good.value)).toEqual([]);
  });

  it("/schedule/availability: each form's errors on its fields, its intent in the reply (one reply, four forms)", async () => {
    const expert = await makeUser("expert");
    const path = "/schedule/availability";
    const noDays = await post(availabilityAction, expert.id, path, { intent: "add-window", start: "09:00", end: "08:00" });
    expect(statusOf(noDays.value)).toBe(400);
    expect(formErrorsOf(noDays.value, "weekday")).toEqual(["errors.pickDays"]);
    expect(bodyOf<{ initialValue: Record<string, unknown> }>(noDays.value).initialValue).toMatchObject({ intent: "add-window", start: "09:00" });
    // One ticked day is a list too; the end before the start is refused on the end.
    const backwards = await post(availabilityAction, expert.id, path, { intent: "add-window", weekday: "2", start: "09:00", end: "08:00" });
    expect(formErrorsOf(backwards.value, "end")).toEqual(["errors.endBeforeStart"]);
    expect(formErrorsOf(backwards.value, "weekday")).toEqual([]);
    const settings = await post(availabilityAction, expert.id, path, { intent: "settings", timeZone: "Mars/Olympus", bufferMinutes: "5", minNoticeMinutes: "60", cancelCutoffMinutes: "60", maxSessionsPerDay: "99" });
    expect(formErrorsOf(settings.value, "timeZone")).toEqual(["errors.timeZone"]);
    expect(formErrorsOf(settings.value, "maxSessionsPerDay")).toEqual(["errors.maxPerDay"]);
    const type = await post(availabilityAction, expert.id, path, { intent: "add-type", title: " ", kind: "group", durationMinutes: "60", capacity: "1" });
    expect(formErrorsOf(type.value, "title")).toEqual(["errors.titleRequired"]);
    expect(formErrorsOf(type.value, "capacity")).toEqual(["errors.capacity"]);
    const hostile = await post(availabilityAction, expert.id, path, { intent: "add-type", title: "x", kind: "nonsense", durationMinutes: "60" });
    expect(formErrorsOf(hostile.value, "kind")).toEqual(["errors.generic"]);
  });

  it("booking boards: no time picked is refused on the radios; a cohort booking without learners on the list", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser("learner");
    const none = await post(expertBoardAction, learner.id, `/schedule/experts/${expert.id}`, { intent: "book", type: "x" }, { expertId: expert.id });
    expect(statusOf(none.value)).toBe(400);
    expect(formErrorsOf(none.value, "choice")).toEqual(["errors.pickTime"]);
    const junk = await post(expertBoardAction, learner.id, `/schedule/experts/${expert.id}`, { intent: "book", type: "x", choice: "slot:yesterday" }, { expertId: expert.id });
    expect(formErrorsOf(junk.value, "choice")).toEqual(["errors.pickTime"]);
    // A time of another expert's session type is not on this board.
    const foreign = await post(expertBoardAction, learner.id, `/schedule/experts/${expert.id}`, { intent: "book", type: "not-this-experts", choice: "slot:2031-01-01T09:00:00.000Z" }, { expertId: expert.id });
    expect(formErrorsOf(foreign.value, "choice")).toEqual(["errors.pickTime"]);

    const A = await makeOrg();
    const cohort = await makeCohort(A.org.id);
    const nobody = await post(cohortBookAction, A.admin.id, "/schedule/cohort", { intent: "book", cohort: cohort.id, expert: expert.id, type: "x" });
    expect(statusOf(nobody.value)).toBe(400);
    expect(formErrorsOf(nobody.value, "choice")).toEqual(["errors.pickTime"]);
    expect(formErrorsOf(nobody.value, "learner")).toEqual(["errors.pickLearners"]);
    expect(bodyOf<{ initialValue: Record<string, unknown> }>(nobody.value).initialValue).toMatchObject({ cohort: cohort.id, intent: "book" });
  });

  it("/teach editors: course, module, lesson and co-author forms answer replies with their field errors; a row's reply carries its module", async () => {
    const expert = await makeUser("expert");
    const created = await post(teachAction, expert.id, "/teach", { title: " ", summary: "s", categoryId: "", level: "beginner", language: "en" });
    expect(statusOf(created.value)).toBe(400);
    expect(formErrorsOf(created.value, "title")).toEqual(["errors.titleRequired"]);
    expect(formErrorsOf(created.value, "categoryId")).toEqual(["errors.categoryRequired"]);
    expect(bodyOf<{ initialValue: Record<string, unknown> }>(created.value).initialValue).toMatchObject({ summary: "s", level: "beginner" });

    const { course } = await makeAuthoredCourse(expert.id);
    const path = `/teach/courses/${course.id}`;
    const params = { courseId: course.id };
    const moduleId = course.modules[0].id;
    const save = await post(courseEditorAction, expert.id, path, { intent: "save", title: "x".repeat(121), summary: "", categoryId: course.categoryId, level: "expert-ish", language: "en" }, params);
    expect(formErrorsOf(save.value, "title")).toEqual(["errors.titleTooLong"]);
    expect(formErrorsOf(save.value, "level")).toEqual(["errors.levelRequired"]);
    const lesson = await post(courseEditorAction, expert.id, path, { intent: "addLesson", moduleId, title: "", kind: "hologram" }, params);
    expect(formErrorsOf(lesson.value, "title")).toEqual(["errors.titleRequired"]);
    expect(formErrorsOf(lesson.value, "kind")).toEqual(["errors.kindRequired"]);
    expect(bodyOf<{ initialValue: Record<string, unknown> }>(lesson.value).initialValue).toMatchObject({ intent: "addLesson", moduleId });
    const rename = await post(courseEditorAction, expert.id, path, { intent: "renameModule", moduleId, title: " " }, params);
    expect(formErrorsOf(rename.value, "title")).toEqual(["errors.titleRequired"]);
    const learner = await makeUser("learner");
    const coauthor = await post(courseEditorAction, expert.id, path, { intent: "addCoauthor", email: learner.email! }, params);
    expect(formErrorsOf(coauthor.value, "email")).toEqual(["errors.coauthorNotExpert"]);
    const notEmail = await post(courseEditorAction, expert.id, path, { intent: "addCoauthor", email: "nope" }, params);
    expect(formErrorsOf(notEmail.value, "email")).toEqual(["errors.coauthorNotExpert"]);
    // A saved form starts again from the stored values (Conform's reset).
    const saved = await post(courseEditorAction, expert.id, path, { intent: "save", title: "Pipe welding", summary: "", categoryId: course.categoryId, level: "beginner", language: "en" }, params);
    expect(bodyOf(saved.value)).toMatchObject({ ok: "editor.saved", initialValue: null });

    const lessonId = course.modules[0].lessons[0].id;
    const badLesson = await post(lessonEditorAction, expert.id, `${path}/lessons/${lessonId}`, { title: "Read", body: "b", taskHandIn: "", durationMinutes: "0" }, { courseId: course.id, lessonId });
    expect(statusOf(badLesson.value)).toBe(400);
    expect(formErrorsOf(badLesson.value, "durationMinutes")).toEqual(["errors.minutes"]);
    expect(bodyOf<{ initialValue: Record<string, unknown> }>(badLesson.value).initialValue).toMatchObject({ body: "b" });
  });

  it("the scheme editor's plain forms: settings, marker and release answer replies with their field errors", async () => {
    const lead = await makeUser("expert");
    const c = await makeAuthoredCourse(lead.id);
    await replaceScheme({ ...lead, role: "expert" }, c.task.id, { total: 100, tolerance: 0, sections: [] }, undefined, "create");
    const path = `/teach/courses/${c.course.id}/lessons/${c.task.id}/scheme`;
    const params = { courseId: c.course.id, lessonId: c.task.id };
    const settings = await postEncoded(schemeAction, lead.id, path, { intent: "settings", passMark: "-1", tolerance: "abc", attemptsAllowed: "2.5" }, params);
    expect(statusOf(settings.value)).toBe(400);
    expect(formErrorsOf(settings.value, "passMark")).toEqual(["errors.passMark"]);
    expect(formErrorsOf(settings.value, "tolerance")).toEqual(["errors.tolerance"]);
    expect(formErrorsOf(settings.value, "attemptsAllowed")).toEqual(["errors.attempts"]);
    const ok = await postEncoded(schemeAction, lead.id, path, { intent: "settings", passMark: "60", tolerance: "0.5", attemptsAllowed: "2", blind: "on" }, params);
    expect(bodyOf(ok.value)).toMatchObject({ ok: "saved", initialValue: null });
    const nobody = await postEncoded(schemeAction, lead.id, path, { intent: "addMarker", email: "ghost-c@skillrelay.test" }, params);
    expect(formErrorsOf(nobody.value, "email")).toEqual(["errors.noSuchExpert"]);
    const foreign = await postEncoded(schemeAction, lead.id, path, { intent: "release", submissionId: "nosuchsubmission1", feedback: "" }, params);
    expect(foreign.thrown?.status).toBe(404);
    const long = await postEncoded(schemeAction, lead.id, path, { intent: "release", submissionId: "nosuchsubmission1", feedback: "x".repeat(2001) }, params);
    expect(formErrorsOf(long.value, "feedback")).toEqual(["errors.feedbackTooLong"]);
  });

  it("admin decisions: a refusal without a reason is refused on the reason; the organisation is the URL's; refusals are the form's error", async () => {
    const admin = await makeUser("admin");
    const noReason = await post(expertReviewAction, admin.id, "/admin/experts/someapplication1", { intent: "reject", reason: "  " }, { applicationId: "someapplication1" });
    expect(statusOf(noReason.value)).toBe(400);
    expect(formErrorsOf(noReason.value, "reason")).toEqual(["experts.errors.reasonRequired"]);
    const missing = await post(expertReviewAction, admin.id, "/admin/experts/someapplication1", { intent: "approve" }, { applicationId: "someapplication1" });
    expect(statusOf(missing.value)).toBe(404);
    expect(formErrorsOf(missing.value, "")).toEqual(["experts.errors.not_found"]);

    const A = await makeOrg();
    const B = await makeOrg();
    const blank = await post(orgReviewAction, admin.id, `/admin/organisations/${A.org.id}`, { intent: "reject", reason: "", orgId: B.org.id }, { orgId: A.org.id });
    expect(formErrorsOf(blank.value, "reason")).toEqual(["orgs.errors.reasonRequired"]);
    // The URL's organisation, not the form's, is the one in the reply (and the one decided).
    expect(bodyOf<{ initialValue: Record<string, unknown> }>(blank.value).initialValue).toMatchObject({ orgId: A.org.id });
    const withdrawn = await post(orgReviewAction, admin.id, `/admin/organisations/${A.org.id}`, { intent: "reject", reason: "Closed", orgId: B.org.id }, { orgId: A.org.id });
    expect(bodyOf(withdrawn.value)).toMatchObject({ ok: true, initialValue: null });
    expect((await prisma.organization.findUniqueOrThrow({ where: { id: B.org.id } })).verifiedAt).not.toBeNull();
    const row = await post(orgListAction, admin.id, "/admin/organisations", { intent: "reject", orgId: B.org.id, reason: "" });
    expect(formErrorsOf(row.value, "reason")).toEqual(["orgs.errors.reasonRequired"]);
    expect(bodyOf<{ initialValue: Record<string, unknown> }>(row.value).initialValue).toMatchObject({ orgId: B.org.id });
    // A role refused (an admin's own) is the row's form error, the reply carrying its userId.
    const self = await post(usersAction, admin.id, "/admin/users", { intent: "role", userId: admin.id, role: "learner" });
    expect(statusOf(self.value)).toBe(403);
    expect(formErrorsOf(self.value, "")).toEqual(["users.errors.self"]);
    expect(bodyOf<{ initialValue: Record<string, unknown> }>(self.value).initialValue).toMatchObject({ intent: "role", userId: admin.id });
    const wizard = await post(usersAction, admin.id, "/admin/users", { intent: "role", userId: admin.id, role: "wizard" });
    expect(formErrorsOf(wizard.value, "role")).toEqual(["users.errors.bad"]);
    // A new county: each bad field on itself; a row of the list: its errors at the row's form.
    const county = await postEncoded(regionsAction, admin.id, "/admin/regions", { intent: "create", code: "12345", name: " ", nameEn: "", province: "" });
    expect(formErrorsOf(county.value, "code")).toEqual(["regions.errors.code"]);
    expect(formErrorsOf(county.value, "name")).toEqual(["regions.errors.name"]);
    const rowEdit = await postEncoded(regionsAction, admin.id, "/admin/regions", { intent: "update", code: "513401", name: " ", nameEn: "", province: "" });
    expect(formErrorsOf(rowEdit.value, "")).toEqual(["regions.errors.name"]);
    expect(bodyOf<{ initialValue: Record<string, unknown> }>(rowEdit.value).initialValue).toMatchObject({ intent: "update", code: "513401" });
    // Named lists: a new entry's bad code on its field, a row's empty name at the row's form.
    const skill = await post(skillsAction, admin.id, "/admin/skills", { intent: "create", slug: "Bad Slug", nameZh: "焊接", nameEn: "", sortOrder: "0" });
    expect(formErrorsOf(skill.value, "slug")).toEqual(["skills.errors.code"]);
    expect(formErrorsOf(skill.value, "nameEn")).toEqual(["skills.errors.name"]);
    const skillRow = await post(skillsAction, admin.id, "/admin/skills", { intent: "update", id: "somecategory1", nameZh: " ", nameEn: "Welding", sortOrder: "1" });
    expect(formErrorsOf(skillRow.value, "")).toEqual(["skills.errors.name"]);
    // A certificate revoked without a reason: refused on its reason, the reply carries the row's code.
    const revoke = await post(certificatesAction, admin.id, "/admin/certificates", { intent: "revoke", code: "SR-ABCD-EFGH", reason: " " });
    expect(statusOf(revoke.value)).toBe(400);
    expect(formErrorsOf(revoke.value, "reason")).toEqual(["certificates.admin.reasonRequired"]);
    expect(bodyOf<{ initialValue: Record<string, unknown> }>(revoke.value).initialValue).toMatchObject({ code: "SR-ABCD-EFGH" });
  });
});
