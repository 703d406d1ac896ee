// The second half of the forms converted to Conform (decision 031): a refused form answers
// Conform's reply — the error keys on their fields, what was typed given back (never an ID
// number) — with the old status codes; the pages render those errors (see the e2e specs).
import { describe, expect, it } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { prisma } from "~/domains/db.server";
import { action as liveAction } from "~/routes/live._index";
import { action as schoolAction } from "~/routes/school._index";
import { action as scheduleAction } from "~/routes/schedule._index";
import { action as programmesAction } from "~/routes/school.programmes._index";
import { action as identityAction } from "~/routes/school.learners_.$learnerId.identity";
import { addLearner, bodyOf, formErrorsOf, makeCohort, makeOrg, makeUser, requestAs, settle, statusOf } from "./schools-fixtures";

type Action = (args: ActionFunctionArgs) => Promise<unknown>;

async function post(fn: Action, userId: string, path: string, fields: Record<string, string | string[]>, params: Record<string, string> = {}) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return settle(fn({ request: await requestAs(userId, path, { method: "POST", body }), params, context: {} }));
}

const initialValue = (result: unknown) => bodyOf<{ initialValue: Record<string, unknown> }>(result).initialValue;

describe("replies of the converted forms", () => {
  it("/live: each bad field gets its key, the typed values come back; unknown invitees are named", async () => {
    const expert = await makeUser("expert");
    const bad = await post(liveAction, expert.id, "/live", { title: " ", invitees: "nobody", capacity: "0", durationMinutes: "60" });
    expect(statusOf(bad.value)).toBe(400);
    expect(formErrorsOf(bad.value, "title")).toEqual(["errors.titleRequired"]);
    expect(formErrorsOf(bad.value, "invitees")).toEqual(["errors.emailInvalid"]);
    expect(formErrorsOf(bad.value, "capacity")).toEqual(["errors.capacityInvalid"]);
    expect(initialValue(bad.value)).toMatchObject({ invitees: "nobody", capacity: "0" });
    const unknown = await post(liveAction, expert.id, "/live", { title: "Welding Q&A", invitees: "ghost-b@skillrelay.test", capacity: "", durationMinutes: "60" });
    expect(statusOf(unknown.value)).toBe(400);
    expect(formErrorsOf(unknown.value, "invitees")).toEqual(["errors.unknownInvitees"]);
    expect(bodyOf<{ missing: string[] }>(unknown.value).missing).toEqual(["ghost-b@skillrelay.test"]);
    // An empty capacity is "as many as invited", as before.
    const learner = await makeUser("learner");
    const ok = await post(liveAction, expert.id, "/live", { title: "Welding Q&A", invitees: learner.email!, capacity: "", durationMinutes: "60" });
    expect(ok.thrown?.status).toBe(302);
  });

  it("/school: a nameless organisation and a nameless class are refused on their name field", async () => {
    const admin = await makeUser("admin");
    const org = await post(schoolAction, admin.id, "/school", { intent: "createOrg", name: " ", kind: "school", adminEmail: "" });
    expect(statusOf(org.value)).toBe(400);
    expect(formErrorsOf(org.value, "name")).toEqual(["errors.orgNameRequired"]);
    const unknownAdmin = await post(schoolAction, admin.id, "/school", { intent: "createOrg", name: "Some school", kind: "school", adminEmail: "nobody-b@skillrelay.test" });
    expect(formErrorsOf(unknownAdmin.value, "adminEmail")).toEqual(["errors.adminNotFound"]);
    expect(initialValue(unknownAdmin.value)).toMatchObject({ name: "Some school", adminEmail: "nobody-b@skillrelay.test" });
    const A = await makeOrg();
    const cohort = await post(schoolAction, A.admin.id, "/school", { intent: "createCohort", orgId: A.org.id, name: " " });
    expect(statusOf(cohort.value)).toBe(400);
    expect(formErrorsOf(cohort.value, "name")).toEqual(["errors.cohortNameRequired"]);
    // The reply carries the form's orgId: the page shows it under that organisation's form only.
    expect(initialValue(cohort.value)).toMatchObject({ intent: "createCohort", orgId: A.org.id });
  });

  it("/school/programmes: one ticked course is a list; a bad amount is refused on its field", async () => {
    const A = await makeOrg();
    const cohort = await makeCohort(A.org.id, "B 班");
    const bad = await post(programmesAction, A.admin.id, "/school/programmes", {
      title: "Welding", occupation: "", kind: "pre_employment", cohortId: cohort.id, courseIds: "not-a-course",
      startDate: "2026-03-01", endDate: "2026-02-01", subsidyPerLearner: "1.234", subsidyPerHour: "0", livingPerDay: "0", minMinutesPerDay: "120", lessonMinutes: "10",
    });
    expect(statusOf(bad.value)).toBe(400);
    expect(formErrorsOf(bad.value, "subsidyPerLearner")).toEqual(["errors.money"]);
    expect(formErrorsOf(bad.value, "courseIds")).toEqual([]);
    expect(initialValue(bad.value)).toMatchObject({ title: "Welding", courseIds: "not-a-course" });
  });

  it("identity: a refused save gives the typed name back but never the ID number", async () => {
    const A = await makeOrg();
    const learner = await addLearner(A.org.id, undefined, "重号 B");
    await prisma.user.update({ where: { id: learner.id }, data: { createdByOrgId: A.org.id } });
    const bad = await post(identityAction, A.admin.id, `/school/learners/${learner.id}/identity`, { intent: "save", legalName: "阿依", idNumber: "513431199003070010", priorityKeys: "unknown-group" }, { learnerId: learner.id });
    expect(statusOf(bad.value)).toBe(400);
    expect(formErrorsOf(bad.value)).toHaveLength(1);
    expect(initialValue(bad.value)).toMatchObject({ legalName: "阿依" });
    expect(JSON.stringify(bodyOf(bad.value))).not.toContain("513431199003070010");
  });

  it("/schedule: an unknown time zone is refused on the select", async () => {
    const learner = await makeUser("learner");
    const bad = await post(scheduleAction, learner.id, "/schedule", { intent: "timezone", timeZone: "Mars/Olympus" });
    expect(statusOf(bad.value)).toBe(400);
    expect(formErrorsOf(bad.value, "timeZone").length).toBe(1);
  });
});
