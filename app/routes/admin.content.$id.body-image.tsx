import type { ActionFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { articleImageUpload } from "~/domains/content/admin.server";
import { idParams } from "~/domains/content/validation";
import { parseOr400 } from "~/utils/input.server";

// Resource route: an image for an article's body (decision 029). Checked like every image
// upload, attached to the article (only its Markdown shows it, and it is public only while the
// article is); answers the Markdown that shows it.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const { id } = parseOr400(idParams, params, "URL");
  return articleImageUpload(request, user, id, "body");
}
