// The printable marking form of one hand-in: only its assigned markers (the marking page's
// check; anyone else 403, an unknown id 404). Under blind marking the PDF carries the
// submission code, never the learner's name. Labels in the page's language.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/domains/auth/session.server";
import { markingFormForSubmission } from "~/domains/assessment/marking.server";
import { markingFormPdf } from "~/domains/assessment/marking-form-pdf.server";
import { takeMarkingFormPoint } from "~/domains/assessment/limits.server";
import { dateOptions } from "~/utils/datetime.server";
import { parseOr400 } from "~/utils/input.server";
import { urlId } from "~/utils/input";
import { fileDownload } from "~/utils/download.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const submissionId = parseOr400(urlId(), params.submissionId, "submission id");
  const [form, dates] = await Promise.all([markingFormForSubmission(user, submissionId), dateOptions(request, user)]);
  await takeMarkingFormPoint(user.id); // after the permission check: refusals cost nothing
  const pdf = await markingFormPdf(form, dates);
  return fileDownload(new Uint8Array(pdf), `marking-form-${form.code}.pdf`);
}
