import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { getArticleForEdit, setArticleCover } from "~/domains/content/articles.server";
import { idParams } from "~/domains/content/validation";
import { discardUpload, parseUploadForm, storeUpload, UploadError, uploadErrorResponse, type ReceivedFile } from "~/domains/courses/uploads.server";
import { parseOr400 } from "~/utils/input.server";

// Resource route: an article's cover image (checked like every image upload).
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const { id } = parseOr400(idParams, params, "URL");
  if (!(await getArticleForEdit(user, id))) throw new Response("Not found", { status: 404 });
  const wantsJson = request.headers.get("X-Upload") === "xhr";
  const back = `/admin/content/${id}`;
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
  let asset;
  try {
    asset = await storeUpload(user.id, "image", file);
  } catch (err) {
    await discardUpload(file);
    if (err instanceof UploadError) return fail(err);
    throw err;
  }
  await setArticleCover(user, id, asset.id);
  return wantsJson ? Response.json({ asset: { id: asset.id } }) : redirect(`${back}?uploaded=1`);
}
