import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { editableLesson } from "~/domains/courses/courses.server";
import { imageMarkdown } from "~/domains/courses/markdown.server";
import { parseUploadForm, storeUpload, UploadError, uploadErrorResponse, type ReceivedFile } from "~/domains/courses/uploads.server";
import { lessonEditParams } from "~/domains/courses/validation";
import { parseOr400 } from "~/utils/input.server";

// Resource route: an image for a lesson's text. Stored like any upload (checked by its
// magic bytes), attached to the course; answers the Markdown that shows it.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "expert");
  const { courseId, lessonId } = parseOr400(lessonEditParams, params, "URL");
  await editableLesson(user, courseId, lessonId);
  const wantsJson = request.headers.get("X-Upload") === "xhr";
  const back = `/teach/courses/${courseId}/lessons/${lessonId}`;
  const fail = (err: UploadError | "missing") => {
    const code = err === "missing" ? err : err.code;
    if (!wantsJson) return redirect(`${back}?uploadError=${code}`);
    return err === "missing" ? Response.json({ error: code }, { status: 400 }) : uploadErrorResponse(err);
  };
  let file: ReceivedFile | null;
  try {
    ({ file } = await parseUploadForm(request, "image"));
  } catch (err) {
    if (err instanceof UploadError) return fail(err);
    throw err;
  }
  if (!file) return fail("missing");
  const asset = await storeUpload(user.id, "image", file, { imageOfCourseId: courseId });
  const markdown = imageMarkdown(asset.id, asset.originalName);
  return wantsJson ? Response.json({ asset: { id: asset.id }, markdown }) : redirect(`${back}?uploaded=1`);
}
