import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getUser } from "~/domains/auth/session.server";
import { serveAsset } from "~/domains/courses/media.server";

// Resource route: stored files (videos with range requests, materials, covers, hand-ins).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const assetId = z.string().min(1).max(40).safeParse(params.assetId);
  if (!assetId.success) return new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const lessonId = z.string().max(40).optional().safeParse(url.searchParams.get("lesson") ?? undefined);
  return serveAsset(request, await getUser(request), assetId.data, {
    download: url.searchParams.get("download") === "1",
    lessonId: lessonId.success ? lessonId.data : undefined,
  });
}
