import type { LoaderFunctionArgs } from "@remix-run/node";
import { atomFeed } from "~/domains/content/feeds.server";
import { i18next } from "~/i18next.server";

// Atom feed of public policies and stories (?lang=en for English titles).
export async function loader({ request }: LoaderFunctionArgs) {
  const lang = new URL(request.url).searchParams.get("lang");
  const locale = lang === "en" || lang === "zh-CN" ? lang : await i18next.getLocale(request);
  // No long cache: a scheduled article appears at its time.
  return new Response(await atomFeed(locale), {
    headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=60" },
  });
}
