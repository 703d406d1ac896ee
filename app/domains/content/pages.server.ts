// Loader helpers of the public content pages: rows formatted for the page's language.
import type { ArticleKind } from "@prisma/client";
import { formatDate, type DateOptions } from "~/utils/datetime";
import { getPublicArticle, listPublicArticles } from "./articles.server";
import { publicUrl } from "~/domains/notifications/notify.server";

export async function articleCards(kind: ArticleKind | null, dates: DateOptions, take = 50) {
  const rows = await listPublicArticles(kind, dates.locale, take);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    coverId: r.coverId,
    when: formatDate(r.publishAt, dates),
    personName: r.personName,
    skill: r.skill,
    region: r.region,
  }));
}

export async function articlePage(kind: ArticleKind, slug: string, dates: DateOptions) {
  const a = await getPublicArticle(kind, slug, dates.locale);
  if (!a) throw new Response("Not found", { status: 404 });
  const base = publicUrl();
  return {
    article: {
      kind: a.kind,
      title: a.title,
      summary: a.summary,
      html: a.html,
      coverId: a.coverId,
      when: formatDate(a.publishAt, dates),
      personName: a.personName,
      skill: a.skill,
      region: a.region,
      link: a.link,
    },
    url: `${base}/${kind === "policy" ? "policies" : "stories"}/${a.slug}`,
    image: a.coverId ? `${base}/media/${a.coverId}` : null,
  };
}
