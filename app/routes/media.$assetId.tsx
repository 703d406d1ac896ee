import type { LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "~/domains/auth/session.server";
import { serveAsset } from "~/domains/courses/media.server";
import { mediaParams, mediaQuerySchema } from "~/domains/courses/validation";
import { parseOr400, searchParamsOf } from "~/utils/input.server";

// Resource route: stored files (videos with range requests, materials, covers, hand-ins).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { assetId } = parseOr400(mediaParams, params, "URL");
  const query = parseOr400(mediaQuerySchema, searchParamsOf(request), "query");
  return serveAsset(request, await getUser(request), assetId, { download: query.download === "1", lessonId: query.lesson });
}
