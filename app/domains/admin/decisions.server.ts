// The answer of the organisation decision forms (/admin/organisations and its review page): a
// Conform reply (decision 031) — a missing reason on its field, a refusal (already decided, not
// found) as the form's error with its status — or, after the decision, a reset form and `ok`.
import { data } from "@remix-run/node";
import type { AuthUser } from "~/domains/auth/roles";
import { parseForm } from "~/utils/forms.server";
import { decideOrganisation, OrganisationDecisionError } from "./organisations.server";
import { orgDecisionSchema } from "./validation";

export async function decideOrganisationReply(admin: AuthUser, form: FormData) {
  const submission = await parseForm(form, orgDecisionSchema, { fallback: "orgs.errors.bad" });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const input = submission.value;
  try {
    await decideOrganisation(admin, input.orgId, input.intent === "verify" ? { verify: true } : { verify: false, reason: input.reason });
  } catch (err) {
    if (err instanceof OrganisationDecisionError) return data(submission.reply({ formErrors: [`orgs.errors.${err.code}`] }), { status: err.code === "not_found" ? 404 : 409 });
    throw err;
  }
  return data({ ...submission.reply({ resetForm: true }), ok: true });
}
