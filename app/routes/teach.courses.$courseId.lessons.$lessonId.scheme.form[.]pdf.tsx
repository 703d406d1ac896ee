// A blank marking form of a task's scheme, for printing before a competition: the course's
// authors (as the scheme editor). Labels in the page's language.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/domains/auth/session.server";
import { blankMarkingForm } from "~/domains/assessment/marking.server";
import { markingFormPdf } from "~/domains/assessment/marking-form-pdf.server";
import { takeMarkingFormPoint } from "~/domains/assessment/limits.server";
import { dateOptions } from "~/utils/datetime.server";
import { parseOr400 } from "~/utils/input.server";
import { urlId } from "~/utils/input";
import { fileDownload } from "~/utils/download.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const courseId = parseOr400(urlId(), params.courseId, "course id");
  const lessonId = parseOr400(urlId(), params.lessonId, "lesson id");
  const [form, dates] = await Promise.all([blankMarkingForm(user, courseId, lessonId), dateOptions(request, user)]);
  await takeMarkingFormPoint(user.id); // after the permission check: refusals cost nothing
  const pdf = await markingFormPdf(form, dates);
  return fileDownload(new Uint8Array(pdf), `marking-form-${lessonId}.pdf`);
}
