import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/domains/auth/session.server";
import { verificationState } from "~/domains/auth/accounts.server";
import { hasRole } from "~/domains/auth/roles";
import { learnerCourses } from "~/domains/courses/courses.server";
import { ProgressBar } from "~/components/ui/feedback";
import { formatDate } from "~/utils/datetime";
import { useRootData } from "~/utils/use-root";

export const meta: MetaFunction = () => [{ title: "Dashboard · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [courses, verification] = await Promise.all([learnerCourses(user.id), verificationState(user.id)]);
  return {
    unverified: verification.unverified,
    user: { name: user.name, email: user.email, role: user.role },
    courses,
    now: Date.now(),
    isExpert: hasRole(user, "expert"),
    isSchoolAdmin: hasRole(user, "school_admin"),
  };
}

export default function Dashboard() {
  const { t } = useTranslation();
  const { t: tc } = useTranslation("courses");
  const { locale, timeZone } = useRootData();
  const { t: ta } = useTranslation("auth");
  const { user, courses, now, isExpert, isSchoolAdmin, unverified } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-6xl px-4 py-10">
      <h1 className="text-2xl font-bold" data-testid="dashboard-title">{t("dashboard.title", { name: user.name })}</h1>
      <p className="mt-1 text-slate-600">{t("dashboard.signedInAs", { email: user.email ?? "", role: t(`roles.${user.role}`) })}</p>
      {unverified ? (
        <p role="status" className="mt-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="verify-banner">
          {ta("account.bannerText")} <Link to="/account#verify" className="font-semibold underline">{ta("account.bannerLink")}</Link>
        </p>
      ) : null}

      <section className="mt-8">
        <h2 className="text-lg font-semibold">{tc("dashboard.myCourses")}</h2>
        {courses.length === 0 ? (
          <div className="mt-3 rounded-xl border border-dashed border-slate-300 bg-white p-6 text-slate-600">
            <p>{tc("dashboard.none")}</p>
            <Link to="/courses" className="mt-3 inline-block font-semibold text-brand-600 underline">{tc("dashboard.browse")}</Link>
          </div>
        ) : (
          <ul className="mt-3 grid gap-4 sm:grid-cols-2" data-testid="my-courses">
            {courses.map((c) => {
              const overdue = c.dueAt && !c.completedAt && new Date(c.dueAt).getTime() < now;
              const target = c.lastLessonId ? `/courses/${c.course.slug}/lessons/${c.lastLessonId}` : `/courses/${c.course.slug}`;
              return (
                <li key={c.course.id} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
                  <p className="text-xs font-semibold uppercase tracking-wide text-brand-600">
                    {locale === "en" ? c.course.category.nameEn : c.course.category.nameZh}
                    {c.cohortName ? ` · ${tc("dashboard.assignedBy", { cohort: c.cohortName })}` : ""}
                  </p>
                  <h3 className="mt-1 font-semibold">
                    <Link to={`/courses/${c.course.slug}`} className="hover:underline">{c.course.title}</Link>
                  </h3>
                  {c.dueAt ? (
                    <p className={"mt-1 text-sm " + (overdue ? "font-semibold text-red-600" : "text-slate-600")}>
                      {overdue ? tc("dashboard.overdue", { date: formatDate(c.dueAt, { locale, timeZone }) }) : tc("dashboard.due", { date: formatDate(c.dueAt, { locale, timeZone }) })}
                    </p>
                  ) : null}
                  <div className="mt-3">
                    <ProgressBar percent={c.progress.percent} label={tc("course.progress", { done: c.progress.completed, total: c.progress.total })} />
                    <p className="mt-1 text-xs text-slate-500">{tc("course.progress", { done: c.progress.completed, total: c.progress.total })}</p>
                  </div>
                  <Link to={target} className="mt-3 inline-block rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700">
                    {c.completedAt ? tc("dashboard.review") : c.lastLessonId ? tc("dashboard.continue") : tc("dashboard.start")}
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <div className="mt-8 grid gap-4 sm:grid-cols-3">
        {isExpert ? (
          <Link to="/teach" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm hover:border-brand-500">
            <h2 className="font-semibold">{t("nav.teach")}</h2>
          </Link>
        ) : null}
        {isSchoolAdmin ? (
          <Link to="/school" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm hover:border-brand-500">
            <h2 className="font-semibold">{t("nav.school")}</h2>
          </Link>
        ) : null}
        <Link to="/schedule" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm hover:border-brand-500">
          <h2 className="font-semibold">{t("nav.schedule")}</h2>
          <p className="mt-1 text-sm text-slate-600">{t("dashboard.scheduleBody")}</p>
        </Link>
        <Link to="/live" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm hover:border-brand-500">
          <h2 className="font-semibold">{t("dashboard.liveTitle")}</h2>
          <p className="mt-1 text-sm text-slate-600">{t("dashboard.liveBody")}</p>
        </Link>
      </div>
    </div>
  );
}
