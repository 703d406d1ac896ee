import type { ActionFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { requireCourseEditor } from "~/domains/courses/permissions.server";
import { setCourseCover, singleUploadResponse } from "~/domains/courses/uploads.server";
import { courseIdParams } from "~/domains/courses/validation";
import { parseOr400 } from "~/utils/input.server";

// Resource route: a course's cover image (JSON for the upload script, redirect without JS).
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "expert");
  const { courseId } = parseOr400(courseIdParams, params, "URL");
  await requireCourseEditor(user, courseId);
  return singleUploadResponse(request, {
    kind: "cover",
    ownerId: user.id,
    back: `/teach/courses/${courseId}`,
    attach: async (asset) => void (await setCourseCover(courseId, asset.id)),
  });
}
