import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/domains/auth/session.server";
import { schemeForEditor } from "~/domains/assessment/marking.server";
import { exportSchemeXlsx } from "~/domains/assessment/xlsx.server";
import { parseOr400 } from "~/utils/input.server";
import { urlId } from "~/utils/input";
import { fileDownload } from "~/utils/download.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const courseId = parseOr400(urlId(), params.courseId, "course id");
  const lessonId = parseOr400(urlId(), params.lessonId, "lesson id");
  const editor = await schemeForEditor(user, courseId, lessonId);
  if (!editor.input) throw new Response("No marking scheme yet", { status: 404 });
  const bytes = await exportSchemeXlsx(editor.input);
  return fileDownload(new Uint8Array(bytes), `marking-scheme-${lessonId}.xlsx`);
}
