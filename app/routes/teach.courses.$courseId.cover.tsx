import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect, unstable_parseMultipartFormData } from "@remix-run/node";
import { z } from "zod";
import { requireRole } from "~/domains/auth/session.server";
import { requireCourseEditor } from "~/domains/courses/permissions.server";
import { receiveUpload, storeUpload, UploadError, type ReceivedFile } from "~/domains/courses/uploads.server";
import { prisma } from "~/domains/db.server";

// Resource route: a course's cover image (JSON for the upload script, redirect without JS).
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "expert");
  const courseId = z.string().max(40).parse(params.courseId);
  await requireCourseEditor(user, courseId);
  const wantsJson = request.headers.get("X-Upload") === "xhr";
  const back = `/teach/courses/${courseId}`;
  const fail = (code: string) => (wantsJson ? Response.json({ error: code }, { status: 400 }) : redirect(`${back}?uploadError=${code}`));
  let received: ReceivedFile | null = null;
  try {
    await unstable_parseMultipartFormData(request, async ({ name, filename, data }) => {
      if (name !== "file" || !filename || received) {
        for await (const chunk of data) void chunk;
        return null;
      }
      received = await receiveUpload("cover", filename, data);
      return filename;
    });
  } catch (err) {
    return fail(err instanceof UploadError ? err.code : "aborted");
  }
  const file = received as ReceivedFile | null;
  if (!file) return fail("missing");
  const asset = await storeUpload(user.id, "cover", file);
  await prisma.course.update({ where: { id: courseId }, data: { coverAssetId: asset.id } });
  return wantsJson ? Response.json({ asset: { id: asset.id } }) : redirect(`${back}?uploaded=1`);
}
