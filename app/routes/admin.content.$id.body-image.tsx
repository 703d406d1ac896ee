import type { ActionFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { getArticleForEdit, noteArticleBodyImage } from "~/domains/content/articles.server";
import { idParams } from "~/domains/content/validation";
import { imageMarkdown } from "~/domains/courses/markdown.server";
import { singleUploadResponse } from "~/domains/courses/uploads.server";
import { parseOr400 } from "~/utils/input.server";

// Resource route: an image for an article's body (decision 029). Checked like every image
// upload, attached to the article (so only its Markdown shows it, and it is public only while
// the article is); answers the Markdown that shows it.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const { id } = parseOr400(idParams, params, "URL");
  if (!(await getArticleForEdit(user, id))) throw new Response("Not found", { status: 404 });
  return singleUploadResponse(request, {
    kind: "image",
    ownerId: user.id,
    back: `/admin/content/${id}`,
    store: { imageOfArticleId: id },
    attach: async (asset) => {
      await noteArticleBodyImage(user, id, asset.id);
      return { markdown: imageMarkdown(asset.id, asset.originalName) };
    },
  });
}
