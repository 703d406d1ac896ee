import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { requireCourseEditor } from "~/domains/courses/permissions.server";
import { parseUploadForm, setCourseCover, storeUpload, UploadError, uploadErrorResponse, type ReceivedFile } from "~/domains/courses/uploads.server";
import { courseIdParams } from "~/domains/courses/validation";
import { parseOr400 } from "~/utils/input.server";

// Resource route: a course's cover image (JSON for the upload script, redirect without JS).
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "expert");
  const { courseId } = parseOr400(courseIdParams, params, "URL");
  await requireCourseEditor(user, courseId);
  const wantsJson = request.headers.get("X-Upload") === "xhr";
  const back = `/teach/courses/${courseId}`;
  const fail = (err: UploadError | "missing") => {
    const code = err === "missing" ? err : err.code;
    if (!wantsJson) return redirect(`${back}?uploadError=${code}`);
    return err === "missing" ? Response.json({ error: code }, { status: 400 }) : uploadErrorResponse(err);
  };
  let file: ReceivedFile | null;
  try {
    ({ file } = await parseUploadForm(request, "cover"));
  } catch (err) {
    if (err instanceof UploadError) return fail(err);
    throw err;
  }
  if (!file) return fail("missing");
  let asset;
  try {
    asset = await storeUpload(user.id, "cover", file);
  } catch (err) {
    if (err instanceof UploadError) return fail(err);
    throw err;
  }
  await setCourseCover(courseId, asset.id);
  return wantsJson ? Response.json({ asset: { id: asset.id } }) : redirect(`${back}?uploaded=1`);
}
