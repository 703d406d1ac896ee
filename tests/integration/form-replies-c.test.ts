// The third batch of forms moved to Conform (decision 031): a refused form answers Conform's
// reply — the error keys on their fields, what was typed given back (never an ID number) —
// with the old status codes; the pages render those errors (see the e2e specs).
import { describe, expect, it } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { action as learnersAction } from "~/routes/school.learners";
import { bodyOf, formErrorsOf, makeCohort, makeOrg, requestAs, settle, statusOf } from "./schools-fixtures";

type Action = (args: ActionFunctionArgs) => Promise<unknown>;

async function post(fn: Action, userId: string, path: string, fields: Record<string, string | string[]>, params: Record<string, string> = {}) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return settle(fn({ request: await requestAs(userId, path, { method: "POST", body }), params, context: {} }));
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
});
