import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ExpertCard, socialMeta } from "~/components/content/ui";
import { EmptyState, Page } from "~/components/ui/layout";
import { getUser } from "~/domains/auth/session.server";
import { expertSkillCategories, listVerifiedExperts } from "~/domains/content/experts.server";
import { expertsQuerySchema } from "~/domains/content/validation";
import { parseOr400, searchParamsOf } from "~/utils/input.server";
import { i18next } from "~/i18next.server";
import { formatDateTime } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const dates = await dateOptions(request, user);
  const t = await i18next.getFixedT(dates.locale, "content");
  const { skill } = parseOr400(expertsQuerySchema, searchParamsOf(request), "skill");
  const [experts, categories] = await Promise.all([listVerifiedExperts({ slots: 3, skill: skill || undefined }), expertSkillCategories()]);
  return {
    skill,
    categories: categories.map((c) => ({ slug: c.slug, name: dates.locale === "en" ? c.nameEn || c.nameZh : c.nameZh })),
    title: t("experts.title"),
    lead: t("experts.lead"),
    experts: experts.map((e) => ({ ...e, skills: dates.locale === "en" ? e.skillsEn : e.skills, slots: e.slots.map((s) => formatDateTime(s, dates)) })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? socialMeta({ title: data.title, description: data.lead }) : []);

export default function ExpertsIndex() {
  const { t } = useTranslation("content");
  const { experts, title, lead, categories, skill } = useLoaderData<typeof loader>();
  const chip = (active: boolean) => `rounded-full border px-3 py-1 text-sm ${active ? "border-brand-700 bg-brand-700 text-white" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50"}`;
  return (
    <Page title={title} lead={lead}>
      {categories.length > 1 ? (
        <nav aria-label={t("experts.bySkill")} className="mb-4 flex flex-wrap gap-2" data-testid="skill-filter">
          <Link to="/experts" className={chip(skill === "")} aria-current={skill === "" ? "page" : undefined}>{t("experts.allSkills")}</Link>
          {categories.map((c) => (
            <Link key={c.slug} to={`/experts?skill=${c.slug}`} className={chip(skill === c.slug)} aria-current={skill === c.slug ? "page" : undefined}>{c.name}</Link>
          ))}
        </nav>
      ) : null}
      {experts.length ? (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {experts.map((e) => (
            <ExpertCard key={e.id} e={e} />
          ))}
        </ul>
      ) : (
        <EmptyState>{t("experts.empty")}</EmptyState>
      )}
    </Page>
  );
}
