import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listCategories, searchCatalogue } from "~/domains/courses/courses.server";
import { catalogueQuerySchema } from "~/domains/courses/validation";
import { LEVELS } from "~/domains/courses/options";
import { useRootData } from "~/utils/use-root";
import { parseOr400, searchParamsOf } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "Courses · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const query = parseOr400(catalogueQuerySchema, searchParamsOf(request), "search");
  const [categories, result] = await Promise.all([listCategories(), searchCatalogue(query)]);
  return { query, categories, ...result };
}

export default function Catalogue() {
  const { t } = useTranslation("courses");
  const { locale } = useRootData();
  const { query, categories, items, total, page, pages } = useLoaderData<typeof loader>();
  const searching = useNavigation().state === "loading";
  const catName = (c: { nameEn: string; nameZh: string }) => (locale === "en" ? c.nameEn : c.nameZh);
  const pageLink = (p: number) => {
    const params = new URLSearchParams();
    if (query.q) params.set("q", query.q);
    if (query.category) params.set("category", query.category);
    if (query.level) params.set("level", query.level);
    params.set("page", String(p));
    return `/courses?${params}`;
  };
  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <h1 className="text-2xl font-bold">{t("catalogue.title")}</h1>
      <p className="mt-1 text-slate-600">{t("catalogue.lead")}</p>

      <Form method="get" role="search" className="mt-6 grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-[1fr_auto_auto_auto]">
        <label className="sr-only" htmlFor="q">{t("catalogue.search")}</label>
        <input
          id="q"
          name="q"
          type="search"
          defaultValue={query.q}
          placeholder={t("catalogue.searchPlaceholder")}
          className="rounded-md border border-slate-300 px-3 py-2"
        />
        <label className="sr-only" htmlFor="category">{t("catalogue.category")}</label>
        <select id="category" name="category" defaultValue={query.category} className="rounded-md border border-slate-300 px-3 py-2">
          <option value="">{t("catalogue.allCategories")}</option>
          {categories.map((c) => (
            <option key={c.slug} value={c.slug}>{catName(c)}</option>
          ))}
        </select>
        <label className="sr-only" htmlFor="level">{t("catalogue.level")}</label>
        <select id="level" name="level" defaultValue={query.level} className="rounded-md border border-slate-300 px-3 py-2">
          <option value="">{t("catalogue.allLevels")}</option>
          {LEVELS.map((l) => (
            <option key={l} value={l}>{t(`levels.${l}`)}</option>
          ))}
        </select>
        <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
          {t("catalogue.apply")}
        </button>
      </Form>

      <p className="mt-6 text-sm text-slate-600" aria-live="polite" data-testid="catalogue-count">
        {searching ? "…" : t("catalogue.results", { count: total })}
      </p>
      {items.length === 0 ? (
        <p className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">{t("catalogue.empty")}</p>
      ) : (
        <ul className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {items.map((c) => (
            <li key={c.id} className="flex flex-col overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
              {c.coverAssetId ? (
                <img src={`/media/${c.coverAssetId}`} alt="" loading="lazy" width={400} height={160} className="h-40 w-full object-cover" />
              ) : (
                <div aria-hidden className="grid h-24 place-items-center bg-gradient-to-br from-brand-600 to-brand-500 text-lg font-semibold text-white">
                  {catName(c.category)}
                </div>
              )}
              <div className="flex flex-1 flex-col p-4">
                <p className="text-xs font-semibold uppercase tracking-wide text-brand-600">
                  {catName(c.category)} · {t(`levels.${c.level}`)}
                </p>
                <h2 className="mt-1 text-lg font-semibold leading-snug">
                  <Link to={`/courses/${c.slug}`} className="hover:underline" data-testid="course-link">{c.title}</Link>
                </h2>
                <p className="mt-2 line-clamp-3 text-sm text-slate-600">{c.summary}</p>
                <p className="mt-auto pt-3 text-xs text-slate-500">
                  {c.authors[0] ? t("catalogue.by", { name: c.authors[0].user.name }) : null} · {t("catalogue.learners", { count: c._count.enrollments })}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
      {pages > 1 ? (
        <nav aria-label="Pagination" className="mt-8 flex items-center justify-center gap-4 text-sm">
          {page > 1 ? <Link to={pageLink(page - 1)} className="rounded border px-3 py-1 hover:bg-white">{t("catalogue.prev")}</Link> : null}
          <span>{t("catalogue.page", { page, pages })}</span>
          {page < pages ? <Link to={pageLink(page + 1)} className="rounded border px-3 py-1 hover:bg-white">{t("catalogue.next")}</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
