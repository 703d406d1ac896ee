// GET /calendar/<token>.ics: a user's iCalendar feed for calendar apps (no cookie; the secret
// token in the URL is the credential, revocable on the schedule page).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedForToken } from "~/domains/scheduling/feed.server";
import { fileDownload } from "~/utils/download.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const token = (params.token ?? "").replace(/\.ics$/, "");
  const feed = await feedForToken(token);
  if (!feed) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } });
  return fileDownload(feed, "skillrelay.ics", { inline: true, cacheControl: "private, max-age=300", headers: { "X-Robots-Tag": "noindex" } });
}
