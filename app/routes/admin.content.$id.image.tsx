import type { ActionFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { articleImageUpload } from "~/domains/content/admin.server";
import { idParams } from "~/domains/content/validation";
import { parseOr400 } from "~/utils/input.server";

// Resource route: an article's cover image (checked like every image upload).
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const { id } = parseOr400(idParams, params, "URL");
  return articleImageUpload(request, user, id, "cover");
}
