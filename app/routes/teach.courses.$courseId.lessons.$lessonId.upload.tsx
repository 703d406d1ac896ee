import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { editableLesson } from "~/domains/courses/courses.server";
import { parseUploadForm, setLessonAsset, storeUpload, UploadError, uploadErrorResponse, type ReceivedFile } from "~/domains/courses/uploads.server";
import { lessonEditParams } from "~/domains/courses/validation";
import { parseOr400 } from "~/utils/input.server";

// Resource route: a lesson's video or material file. Answers JSON to the page's upload
// script (progress bar, cancel) and redirects plain form posts (no JavaScript) back.

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "expert");
  const { courseId, lessonId } = parseOr400(lessonEditParams, params, "URL");
  const lesson = await editableLesson(user, courseId, lessonId);
  const wantsJson = request.headers.get("X-Upload") === "xhr";
  const back = `/teach/courses/${courseId}/lessons/${lessonId}`;
  const fail = (err: UploadError | "missing" | "bad_type") => {
    const code = typeof err === "string" ? err : err.code;
    if (!wantsJson) return redirect(`${back}?uploadError=${code}`);
    return typeof err === "string" ? Response.json({ error: code }, { status: 400 }) : uploadErrorResponse(err);
  };

  if (lesson.kind !== "video" && lesson.kind !== "material") return fail("bad_type");
  let file: ReceivedFile | null;
  try {
    ({ file } = await parseUploadForm(request, lesson.kind));
  } catch (err) {
    if (err instanceof UploadError) return fail(err);
    throw err;
  }
  if (!file) return fail("missing");
  try {
    const asset = await storeUpload(user.id, lesson.kind, file);
    await setLessonAsset(lesson, asset.id);
    return wantsJson
      ? Response.json({ asset: { id: asset.id, originalName: asset.originalName, sizeBytes: Number(asset.sizeBytes) } })
      : redirect(`${back}?uploaded=1`);
  } catch (err) {
    if (err instanceof UploadError) return fail(err);
    throw err;
  }
}
