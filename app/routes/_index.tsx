import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { RootData } from "~/root";
import { Icon } from "~/components/ui/icon";
import { EmptyState } from "~/components/ui/layout";
import { ArticleGrid, ExpertCard, socialMeta } from "~/components/content/ui";
import { getUser } from "~/domains/auth/session.server";
import { homeShowcase } from "~/domains/content/home.server";
import { i18next } from "~/i18next.server";
import { dateOptions } from "~/utils/datetime.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const dates = await dateOptions(request, user);
  const t = await i18next.getFixedT(dates.locale, "common");
  return { ...(await homeShowcase(dates)), metaTitle: t("home.title"), metaLead: t("home.lead") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? socialMeta({ title: data.metaTitle, description: data.metaLead }) : []);

function Section({ title, more, moreLabel, children, tinted = false }: { title: string; more: string; moreLabel: string; children: ReactNode; tinted?: boolean }) {
  return (
    <section className={tinted ? "border-t border-slate-200 bg-white" : "border-t border-slate-200"}>
      <div className="mx-auto max-w-6xl px-4 py-10">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <h2 className="text-2xl font-bold">{title}</h2>
          <Link to={more} className="inline-flex items-center gap-1 text-sm font-semibold text-brand-700 hover:underline">
            {moreLabel} <Icon name="dot" className="h-3 w-3" />
          </Link>
        </div>
        <div className="mt-6">{children}</div>
      </div>
    </section>
  );
}

const FEATURES = [
  { title: "home.f1Title", body: "home.f1Body", icon: "tools" },
  { title: "home.f2Title", body: "home.f2Body", icon: "video" },
  { title: "home.f3Title", body: "home.f3Body", icon: "school" },
  { title: "home.f4Title", body: "home.f4Body", icon: "medal" },
] as const;

const AUDIENCE = [
  { role: "roles.learner", body: "home.whoLearner" },
  { role: "roles.expert", body: "home.whoExpert" },
  { role: "roles.school_admin", body: "home.whoSchool" },
  { role: "roles.admin", body: "home.whoAdmin" },
] as const;

export default function Home() {
  const { t } = useTranslation();
  const { t: tc } = useTranslation("content");
  const show = useLoaderData<typeof loader>();
  const root = useRouteLoaderData("root") as RootData | undefined;
  const user = root?.user;
  return (
    <>
      <section className="bg-gradient-to-b from-brand-700 to-brand-600 text-white">
        <div className="mx-auto max-w-6xl px-4 py-14 sm:py-20">
          <p className="text-sm font-semibold uppercase tracking-wider text-accent-500">{t("tagline")}</p>
          <h1 className="mt-3 max-w-3xl text-3xl font-bold leading-tight sm:text-5xl">{t("home.title")}</h1>
          <p className="mt-5 max-w-2xl text-lg text-brand-50">{t("home.lead")}</p>
          <div className="mt-8 flex flex-wrap gap-3">
            {user ? (
              <>
                <Link to="/dashboard" className="rounded-md bg-accent-500 px-5 py-3 font-semibold text-brand-700 shadow hover:bg-amber-400">
                  {t("home.ctaDashboard")}
                </Link>
                <Link to="/live" className="rounded-md border border-white/60 px-5 py-3 font-semibold text-white hover:bg-white/10">
                  {t("home.ctaLive")}
                </Link>
              </>
            ) : (
              <Link to="/signup" className="rounded-md bg-accent-500 px-5 py-3 font-semibold text-brand-700 shadow hover:bg-amber-400">
                {t("home.ctaStart")}
              </Link>
            )}
          </div>
        </div>
      </section>
      <section className="mx-auto max-w-6xl px-4 py-12">
        <h2 className="text-2xl font-bold">{t("home.featuresTitle")}</h2>
        <ul className="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {FEATURES.map((f) => (
            <li key={f.title} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
              <Icon name={f.icon} className="h-7 w-7 text-brand-600" />
              <h3 className="mt-2 font-semibold">{t(f.title)}</h3>
              <p className="mt-1 text-sm text-slate-600">{t(f.body)}</p>
            </li>
          ))}
        </ul>
      </section>
      <Section title={tc("home.stories")} more="/stories" moreLabel={tc("home.allStories")} tinted>
        <ArticleGrid items={show.stories} empty={tc("stories.empty")} />
      </Section>
      <Section title={tc("home.policies")} more="/policies" moreLabel={tc("home.allPolicies")}>
        <ArticleGrid items={show.policies} empty={tc("policies.empty")} />
      </Section>
      <Section title={tc("home.experts")} more="/experts" moreLabel={tc("home.allExperts")} tinted>
        {show.experts.length ? (
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {show.experts.map((e) => (
              <ExpertCard key={e.id} e={e} />
            ))}
          </ul>
        ) : (
          <EmptyState>{tc("experts.empty")}</EmptyState>
        )}
      </Section>
      <Section title={tc("home.courses")} more="/courses" moreLabel={tc("home.allCourses")}>
        {show.courses.length ? (
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {show.courses.map((c) => (
              <li key={c.slug} className="flex items-start gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                <Icon name="tools" className="mt-0.5 h-6 w-6 shrink-0 text-brand-600" />
                <div>
                  <Link to={`/courses/${c.slug}`} className="font-semibold hover:underline">
                    {c.title}
                  </Link>
                  <p className="text-sm text-slate-600">{c.category}</p>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>{tc("home.noCourses")}</EmptyState>
        )}
      </Section>
      <section className="border-t border-slate-200 bg-white">
        <div className="mx-auto max-w-6xl px-4 py-12">
          <h2 className="text-2xl font-bold">{t("home.whoTitle")}</h2>
          <dl className="mt-6 grid gap-6 sm:grid-cols-2">
            {AUDIENCE.map((a) => (
              <div key={a.role}>
                <dt className="font-semibold text-brand-700">{t(a.role)}</dt>
                <dd className="mt-1 text-slate-600">{t(a.body)}</dd>
              </div>
            ))}
          </dl>
        </div>
      </section>
    </>
  );
}
