// Publicity UI (issue 10): article cards and pages, expert cards, Open Graph tags.
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Badge } from "~/components/ui/feedback";
import { Icon } from "~/components/ui/icon";
import { EmptyState, Page } from "~/components/ui/layout";
import { ButtonLink } from "~/components/ui/forms";

export interface ArticleCardData {
  id: string;
  kind: "policy" | "story";
  slug: string;
  title: string;
  summary: string;
  coverId: string | null;
  when: string;
  personName: string;
  skill: string;
  region: string;
}

export function articlePath(a: { kind: string; slug: string }) {
  return `/${a.kind === "policy" ? "policies" : "stories"}/${a.slug}`;
}

/** Title, description and Open Graph tags for a public page. */
export function socialMeta(m: { title: string; description: string; url?: string; image?: string | null; type?: string }) {
  const tags: Record<string, string>[] = [
    { title: `${m.title} · SkillRelay` },
    { name: "description", content: m.description },
    { property: "og:title", content: m.title },
    { property: "og:description", content: m.description },
    { property: "og:type", content: m.type ?? "website" },
    { property: "og:site_name", content: "SkillRelay" },
  ];
  if (m.url) tags.push({ property: "og:url", content: m.url });
  if (m.image) tags.push({ property: "og:image", content: m.image });
  return tags;
}

export function ArticleCard({ a }: { a: ArticleCardData }) {
  const { t } = useTranslation("content");
  return (
    <li className="flex flex-col overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm" data-testid="article-card">
      {a.coverId ? <img src={`/media/${a.coverId}`} alt="" loading="lazy" className="aspect-video w-full object-cover" /> : null}
      <div className="flex flex-1 flex-col p-4">
        <p className="text-xs font-semibold uppercase tracking-wide text-brand-700">{t(a.kind === "policy" ? "kind.policy" : "kind.story")}</p>
        <h3 className="mt-1 font-semibold">
          <Link to={articlePath(a)} className="hover:underline">
            {a.title}
          </Link>
        </h3>
        {a.kind === "story" && (a.skill || a.region) ? (
          <p className="mt-1 text-sm text-slate-600">{[a.personName, a.skill, a.region].filter(Boolean).join(" · ")}</p>
        ) : null}
        {a.summary ? <p className="mt-2 text-sm text-slate-700">{a.summary}</p> : null}
        <p className="mt-auto pt-3 text-xs text-slate-500">{a.when}</p>
      </div>
    </li>
  );
}

export function ArticleGrid({ items, empty }: { items: ArticleCardData[]; empty: string }) {
  if (!items.length) return <EmptyState>{empty}</EmptyState>;
  return (
    <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {items.map((a) => (
        <ArticleCard key={a.id} a={a} />
      ))}
    </ul>
  );
}

export interface ArticlePageData {
  kind: "policy" | "story";
  title: string;
  summary: string;
  html: string;
  coverId: string | null;
  when: string;
  personName: string;
  skill: string;
  region: string;
  link: string;
  /** The person's released competition result: its public certificate check. */
  result?: { code: string; holderName: string; achievement: string; competition: string } | null;
}

export function ArticleView({ a }: { a: ArticlePageData }) {
  const { t } = useTranslation("content");
  const back = a.kind === "policy" ? "/policies" : "/stories";
  return (
    <Page title={a.title} lead={a.summary} actions={<ButtonLink to={back} variant="secondary">{t(a.kind === "policy" ? "policies.all" : "stories.all")}</ButtonLink>}>
      <article className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
        <p className="text-sm text-slate-500">
          {t("publishedOn", { when: a.when })}
        </p>
        {a.kind === "story" ? (
          <dl className="mt-3 grid gap-2 text-sm sm:grid-cols-3">
            {a.personName ? (
              <div>
                <dt className="font-semibold text-slate-600">{t("story.person")}</dt>
                <dd>{a.personName}</dd>
              </div>
            ) : null}
            {a.skill ? (
              <div>
                <dt className="font-semibold text-slate-600">{t("story.skill")}</dt>
                <dd>{a.skill}</dd>
              </div>
            ) : null}
            {a.region ? (
              <div>
                <dt className="font-semibold text-slate-600">{t("story.region")}</dt>
                <dd>{a.region}</dd>
              </div>
            ) : null}
          </dl>
        ) : null}
        {a.coverId ? <img src={`/media/${a.coverId}`} alt="" className="mt-4 max-h-[28rem] w-full rounded-lg object-cover" /> : null}
        <div className="prose mt-4 max-w-none text-slate-800" dangerouslySetInnerHTML={{ __html: a.html }} />
        {a.result ? (
          <p className="mt-4 text-sm" data-testid="story-result">
            <span className="font-semibold text-slate-600">{t("story.result")}</span>{" "}
            <a href={`/verify/${a.result.code}`} className="inline-flex items-center gap-1 font-semibold text-brand-700 hover:underline">
              <Icon name="medal" /> {t("story.resultLink", { competition: a.result.competition, achievement: a.result.achievement })}
            </a>
          </p>
        ) : null}
        {a.link ? (
          <p className="mt-4">
            <a href={a.link} className="font-semibold text-brand-700 hover:underline" rel="noopener noreferrer nofollow">
              {t("story.link")}
            </a>
          </p>
        ) : null}
      </article>
    </Page>
  );
}

export interface RecordRowView {
  event: string;
  year: number;
  skill: string;
  result: string;
}

/** An expert's competition record (event, year, skill, result): on the public profile and in the admin's review. */
export function CompetitionRecord({ rows, resultLabel }: { rows: RecordRowView[]; resultLabel: string }) {
  return (
    <ul className="divide-y divide-slate-200" data-testid="competition-record">
      {rows.map((r, i) => (
        <li key={i} className="py-2 text-sm">
          <span className="font-semibold">{r.event}</span> · {r.year} · {r.skill} · <span className="text-slate-700">{resultLabel}: {r.result}</span>
        </li>
      ))}
    </ul>
  );
}

export interface ExpertCardData {
  id: string;
  name: string;
  bio: string;
  skills: string[];
  /** The first line of the competition record, e.g. "Gold medal · 1st National Skills Competition 2020". */
  highlight?: RecordRowView | null;
  courses: { slug: string; title: string }[];
  slots: string[];
  rating: { average: number; count: number } | null;
}

export function VerifiedBadge() {
  const { t } = useTranslation("content");
  return (
    <Badge tone="success">
      <Icon name="check" className="mr-1 h-3 w-3" /> {t("experts.verified")}
    </Badge>
  );
}

export function RatingLine({ rating }: { rating: { average: number; count: number } | null }) {
  const { t } = useTranslation("content");
  if (!rating || rating.count === 0) return <span className="text-sm text-slate-500">{t("experts.noRatings")}</span>;
  return (
    <span className="inline-flex items-center gap-1 text-sm text-slate-700">
      <Icon name="medal" className="h-4 w-4 text-accent-500" />
      {t("experts.ratingLine", { average: rating.average.toFixed(1), count: rating.count })}
    </span>
  );
}

export function ExpertCard({ e }: { e: ExpertCardData }) {
  const { t } = useTranslation("content");
  return (
    <li className="flex flex-col rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="expert-card">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-semibold">
          <Link to={`/experts/${e.id}`} className="hover:underline">
            {e.name}
          </Link>
        </h3>
        <VerifiedBadge />
      </div>
      {e.skills.length ? <p className="mt-1 text-sm text-brand-700">{e.skills.join(" · ")}</p> : null}
      {e.highlight ? (
        <p className="mt-1 text-sm text-slate-700" data-testid="expert-highlight">
          <Icon name="medal" /> {`${e.highlight.result} · ${e.highlight.event} ${e.highlight.year}`}
        </p>
      ) : null}
      {e.bio ? <p className="mt-2 line-clamp-3 text-sm text-slate-700">{e.bio}</p> : null}
      <div className="mt-2">
        <RatingLine rating={e.rating} />
      </div>
      {e.slots.length ? (
        <p className="mt-2 text-sm text-slate-600">
          {t("experts.nextSlot")}: {e.slots.join(", ")}
        </p>
      ) : null}
    </li>
  );
}
