import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/domains/auth/session.server";
import { verificationState } from "~/domains/auth/accounts.server";
import { dashboardFor } from "~/domains/dashboard/dashboard.server";
import { ProgressBar } from "~/components/ui/feedback";
import { formatDate, formatDateTime } from "~/utils/datetime";
import { useRootData } from "~/utils/use-root";

export const meta: MetaFunction = () => [{ title: "Dashboard · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [work, verification] = await Promise.all([dashboardFor(user), verificationState(user.id)]);
  return {
    unverified: verification.unverified,
    user: { name: user.name, email: user.email, role: user.role },
    ...work,
    now: Date.now(),
  };
}

const card = "rounded-xl border border-slate-200 bg-white p-5 shadow-sm";
const linkCard = card + " hover:border-brand-500";

function Section({ title, testId, empty, children }: { title: string; testId: string; empty: string | null; children: ReactNode }) {
  return (
    <section className="mt-8" data-testid={testId}>
      <h2 className="text-lg font-semibold">{title}</h2>
      {empty ? <p className="mt-3 rounded-xl border border-dashed border-slate-300 bg-white p-6 text-slate-600">{empty}</p> : children}
    </section>
  );
}

export default function Dashboard() {
  const { t } = useTranslation();
  const { t: tc } = useTranslation("courses");
  const { locale, timeZone } = useRootData();
  const { t: ta } = useTranslation("auth");
  const d = useLoaderData<typeof loader>();
  const { user, view, now } = d;
  const date = (v: string | Date) => formatDate(v, { locale, timeZone });
  return (
    <div className="mx-auto max-w-6xl px-4 py-10" data-testid={`dashboard-${view}`}>
      <h1 className="text-2xl font-bold" data-testid="dashboard-title">{t("dashboard.title", { name: user.name })}</h1>
      <p className="mt-1 text-slate-600">{t("dashboard.signedInAs", { email: user.email ?? "", role: t(`roles.${user.role}`) })}</p>
      {d.unverified ? (
        <p role="status" className="mt-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="verify-banner">
          {ta("account.bannerText")} <Link to="/account#verify" className="font-semibold underline">{ta("account.bannerLink")}</Link>
        </p>
      ) : null}

      {view === "learner" ? (
        <section className="mt-8">
          <h2 className="text-lg font-semibold">{tc("dashboard.myCourses")}</h2>
          {d.courses.length === 0 ? (
            <div className="mt-3 rounded-xl border border-dashed border-slate-300 bg-white p-6 text-slate-600">
              <p>{tc("dashboard.none")}</p>
              <Link to="/courses" className="mt-3 inline-block font-semibold text-brand-600 underline">{tc("dashboard.browse")}</Link>
            </div>
          ) : (
            <ul className="mt-3 grid gap-4 sm:grid-cols-2" data-testid="my-courses">
              {d.courses.map((c) => {
                const overdue = c.dueAt && !c.completedAt && new Date(c.dueAt).getTime() < now;
                const target = c.lastLessonId ? `/courses/${c.course.slug}/lessons/${c.lastLessonId}` : `/courses/${c.course.slug}`;
                return (
                  <li key={c.course.id} className={card}>
                    <p className="text-xs font-semibold uppercase tracking-wide text-brand-600">
                      {locale === "en" ? c.course.category.nameEn : c.course.category.nameZh}
                      {c.cohortName ? ` · ${tc("dashboard.assignedBy", { cohort: c.cohortName })}` : ""}
                    </p>
                    <h3 className="mt-1 font-semibold">
                      <Link to={`/courses/${c.course.slug}`} className="hover:underline">{c.course.title}</Link>
                    </h3>
                    {c.dueAt ? (
                      <p className={"mt-1 text-sm " + (overdue ? "font-semibold text-red-600" : "text-slate-600")}>
                        {overdue ? tc("dashboard.overdue", { date: date(c.dueAt) }) : tc("dashboard.due", { date: date(c.dueAt) })}
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
      ) : null}

      {view === "expert" ? (
        <>
          <Section title={t("dashboard.handIns")} testId="hand-ins" empty={d.handIns.length ? null : t("dashboard.noHandIns")}>
            <ul className="mt-3 divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white">
              {d.handIns.map((h) => (
                <li key={h.id} className="flex flex-wrap items-center justify-between gap-2 p-4">
                  <Link to={h.url} className="font-medium hover:underline">
                    {t("dashboard.handInLine", { learner: h.learner, lesson: h.lesson, course: h.course })}
                  </Link>
                  <span className="text-sm text-slate-500">{formatDateTime(h.at, { locale, timeZone })}</span>
                </li>
              ))}
            </ul>
          </Section>
          <Section title={t("dashboard.learnersProgress")} testId="learners-progress" empty={d.progress.length ? null : t("dashboard.noOwnCourses")}>
            <ul className="mt-3 grid gap-4 sm:grid-cols-2">
              {d.progress.map((c) => (
                <li key={c.id} className={card}>
                  <Link to={`/teach/courses/${c.id}`} className="font-semibold hover:underline">{c.title}</Link>
                  <p className="mt-1 text-sm text-slate-600">{t("dashboard.progressLine", { completed: c.completed, enrolled: c.enrolled })}</p>
                  <div className="mt-2">
                    <ProgressBar percent={c.enrolled ? Math.round((100 * c.completed) / c.enrolled) : 0} label={t("dashboard.progressLine", { completed: c.completed, enrolled: c.enrolled })} />
                  </div>
                </li>
              ))}
            </ul>
          </Section>
        </>
      ) : null}

      {view === "school_admin" && d.school ? (
        <>
          <Section title={t("dashboard.cohorts")} testId="cohorts" empty={d.school.cohorts.length ? null : t("dashboard.noCohorts")}>
            <ul className="mt-3 grid gap-4 sm:grid-cols-3">
              {d.school.cohorts.map((c) => (
                <li key={c.id} className={card}>
                  <Link to={`/school/cohorts/${c.id}`} className="font-semibold hover:underline">{c.name}</Link>
                  <p className="mt-1 text-sm text-slate-600">{t("dashboard.cohortLine", { org: c.org, count: c.memberCount })}</p>
                </li>
              ))}
            </ul>
          </Section>
          <Section title={t("dashboard.dueAssignments")} testId="due-assignments" empty={d.school.due.length ? null : t("dashboard.noDue")}>
            <ul className="mt-3 divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white">
              {d.school.due.map((a) => (
                <li key={`${a.cohortId}-${a.course}`} className="p-4">
                  <Link to={`/school/cohorts/${a.cohortId}`} className="hover:underline">
                    {t("dashboard.dueLine", { course: a.course, cohort: a.cohort, date: date(a.dueAt), completed: a.completed, learners: a.learners })}
                  </Link>
                </li>
              ))}
            </ul>
          </Section>
          <Section title={t("dashboard.lagging")} testId="lagging" empty={d.school.lagging.length ? null : t("dashboard.noLagging")}>
            <ul className="mt-3 divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white">
              {d.school.lagging.map((l, i) => (
                <li key={i} className="p-4 text-red-700">
                  <Link to={`/school/cohorts/${l.cohortId}`} className="hover:underline">
                    {t("dashboard.laggingLine", { learner: l.learner, course: l.course, cohort: l.cohort, date: date(l.dueAt), percent: l.percent })}
                  </Link>
                </li>
              ))}
            </ul>
          </Section>
        </>
      ) : null}

      {view === "admin" ? (
        <section className="mt-8" data-testid="admin-links">
          <h2 className="text-lg font-semibold">{t("dashboard.adminTitle")}</h2>
          <div className="mt-3 grid gap-4 sm:grid-cols-3">
            {(
              [
                ["/school", "adminSchools"],
                ["/school/learners", "adminLearners"],
                ["/school/invitations", "adminInvitations"],
                ["/teach", "adminCourses"],
                ["/live", "adminLive"],
              ] as const
            ).map(([to, key]) => (
              <Link key={to} to={to} className={linkCard}>
                <h3 className="font-semibold">{t(`dashboard.${key}`)}</h3>
              </Link>
            ))}
          </div>
        </section>
      ) : null}

      {view !== "admin" ? (
        <Section title={t("dashboard.nextSessions")} testId="next-sessions" empty={d.sessions.length ? null : t("dashboard.noSessions")}>
          <ul className="mt-3 divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white">
            {d.sessions.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 p-4">
                <Link to={`/sessions/${s.id}`} className="font-medium hover:underline">{s.title}</Link>
                <span className="text-sm text-slate-500">
                  {s.status === "live" ? t("dashboard.liveNow") : formatDateTime(s.startsAt, { locale, timeZone })}
                  {s.hosting ? ` · ${t("dashboard.hosting")}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <div className="mt-8 grid gap-4 sm:grid-cols-3">
        {view === "expert" ? (
          <Link to="/teach" className={linkCard}>
            <h2 className="font-semibold">{t("nav.teach")}</h2>
          </Link>
        ) : null}
        {view === "school_admin" ? (
          <Link to="/school" className={linkCard}>
            <h2 className="font-semibold">{t("nav.school")}</h2>
          </Link>
        ) : null}
        {view !== "admin" ? (
          <Link to="/competitions" className={linkCard} data-testid="competitions-link">
            <h2 className="font-semibold">{t("nav.competitions")}</h2>
            <p className="mt-1 text-sm text-slate-600">{t("dashboard.competitionsBody")}</p>
          </Link>
        ) : null}
        {view === "learner" || view === "expert" ? (
          <>
            <Link to="/schedule" className={linkCard}>
              <h2 className="font-semibold">{t("nav.schedule")}</h2>
              <p className="mt-1 text-sm text-slate-600">{view === "expert" ? t("dashboard.expertScheduleBody") : t("dashboard.scheduleBody")}</p>
            </Link>
            <Link to="/live" className={linkCard}>
              <h2 className="font-semibold">{t("dashboard.liveTitle")}</h2>
              <p className="mt-1 text-sm text-slate-600">{view === "expert" ? t("dashboard.liveBody") : t("dashboard.learnerLiveBody")}</p>
            </Link>
          </>
        ) : null}
      </div>
    </div>
  );
}
