// Loader helpers of the public content pages: rows formatted for the page's language.
import type { ArticleKind } from "@prisma/client";
import { formatDate, formatDateTime, type DateOptions } from "~/utils/datetime";
import { getArticlePreview, getPublicArticle, listPublicArticles } from "./articles.server";
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

type Shown = NonNullable<Awaited<ReturnType<typeof getArticlePreview>>>;

/** The page data of an article as its public page shows it (the preview uses the same). */
function pageOf(a: Shown, when: Date, dates: DateOptions) {
  const base = publicUrl();
  return {
    article: {
      kind: a.kind,
      title: a.title,
      summary: a.summary,
      html: a.html,
      coverId: a.coverId,
      when: formatDate(when, dates),
      personName: a.personName,
      skill: a.skill,
      region: a.region,
      link: a.link,
      result: a.result,
    },
    url: `${base}/${a.kind === "policy" ? "policies" : "stories"}/${a.slug}`,
    image: a.coverId ? `${base}/media/${a.coverId}` : null,
  };
}

export async function articlePage(kind: ArticleKind, slug: string, dates: DateOptions) {
  const a = await getPublicArticle(kind, slug, dates.locale);
  if (!a) throw new Response("Not found", { status: 404 });
  return pageOf(a, a.publishAt, dates);
}

/** A draft or scheduled article exactly as its public page will show it (admins only; decision 029). */
export async function articlePreviewPage(actor: { id: string; name: string; role: string }, id: string, dates: DateOptions, now: Date = new Date()) {
  const a = await getArticlePreview(actor, id, dates.locale);
  if (!a) throw new Response("Not found", { status: 404 });
  const live = a.status !== "draft" && a.publishAt !== null && a.publishAt <= now;
  return { ...pageOf(a, a.publishAt ?? now, dates), status: a.status, live, scheduledFor: a.publishAt && !live && a.status !== "draft" ? formatDateTime(a.publishAt, dates) : null };
}
