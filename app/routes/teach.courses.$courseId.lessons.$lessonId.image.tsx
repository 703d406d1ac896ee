import type { ActionFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { editableLesson } from "~/domains/courses/courses.server";
import { imageMarkdown } from "~/domains/courses/markdown.server";
import { singleUploadResponse } from "~/domains/courses/uploads.server";
import { lessonEditParams } from "~/domains/courses/validation";
import { parseOr400 } from "~/utils/input.server";

// Resource route: an image for a lesson's text. Stored like any upload (checked by its
// magic bytes), attached to the course; answers the Markdown that shows it.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "expert");
  const { courseId, lessonId } = parseOr400(lessonEditParams, params, "URL");
  await editableLesson(user, courseId, lessonId);
  return singleUploadResponse(request, {
    kind: "image",
    ownerId: user.id,
    back: `/teach/courses/${courseId}/lessons/${lessonId}`,
    store: { imageOfCourseId: courseId },
    attach: async (asset) => ({ markdown: imageMarkdown(asset.id, asset.originalName) }),
  });
}
