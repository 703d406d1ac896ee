import type { ActionFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { getArticleForEdit, setArticleCover } from "~/domains/content/articles.server";
import { idParams } from "~/domains/content/validation";
import { singleUploadResponse } from "~/domains/courses/uploads.server";
import { parseOr400 } from "~/utils/input.server";

// Resource route: an article's cover image (checked like every image upload).
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const { id } = parseOr400(idParams, params, "URL");
  if (!(await getArticleForEdit(user, id))) throw new Response("Not found", { status: 404 });
  return singleUploadResponse(request, {
    kind: "image",
    ownerId: user.id,
    back: `/admin/content/${id}`,
    attach: async (asset) => void (await setArticleCover(user, id, asset.id)),
  });
}
