import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUser, requireUser } from "~/domains/auth/session.server";
import { enrol, getCoursePage } from "~/domains/courses/courses.server";
import { renderMarkdown } from "~/domains/courses/markdown.server";
import { lessonImageIds } from "~/domains/courses/media.server";
import { ProgressBar } from "~/components/ui/feedback";
import { VerifiedBadge } from "~/components/content/ui";
import { courseExperts } from "~/domains/content/experts.server";
import { formatDate } from "~/utils/datetime";
import { useRootData } from "~/utils/use-root";
import { parseOr400 } from "~/utils/input.server";
import { slugParams } from "~/domains/courses/validation";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.course.title} · SkillRelay` : "SkillRelay" },
  { name: "description", content: data?.course.summary.slice(0, 160) ?? "" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const page = await getCoursePage(parseOr400(slugParams, params, "URL").slug, user);
  const [imageIds, experts] = await Promise.all([lessonImageIds(page.course.id), courseExperts(page.course.id)]);
  return { ...page, summaryHtml: renderMarkdown(page.course.summary, { imageIds }), loggedIn: user !== null, experts };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { course } = await getCoursePage(parseOr400(slugParams, params, "URL").slug, user);
  await enrol(user, course.id);
  const first = course.modules.flatMap((m) => m.lessons)[0];
  throw redirect(first ? `/courses/${course.slug}/lessons/${first.id}` : `/courses/${course.slug}`);
}

export default function CoursePage() {
  const { t } = useTranslation("courses");
  const { t: tc } = useTranslation("content");
  const { locale, timeZone } = useRootData();
  const { course, editor, enrollment, progress, completedLessonIds, assignment, summaryHtml, loggedIn, experts } = useLoaderData<typeof loader>();
  const lessons = course.modules.flatMap((m) => m.lessons);
  const done = new Set(completedLessonIds);
  const resumeId = enrollment?.lastLessonId && lessons.some((l) => l.id === enrollment.lastLessonId) ? enrollment.lastLessonId : lessons.find((l) => !done.has(l.id))?.id ?? lessons[0]?.id;
  const catName = locale === "en" ? course.category.nameEn : course.category.nameZh;
  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      {course.status !== "published" ? (
        <p className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-800">{t("course.draftNotice")}</p>
      ) : null}
      <div className="grid gap-8 lg:grid-cols-[1fr_320px]">
        <div>
          <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">
            {catName} · {t(`levels.${course.level}`)} · {t(`languages.${course.language}`)}
          </p>
          <h1 className="mt-1 text-3xl font-bold">{course.title}</h1>
          <div className="prose mt-4 max-w-none text-slate-700" dangerouslySetInnerHTML={{ __html: summaryHtml }} />
          <p className="mt-4 text-sm text-slate-600">
            {t("course.authors")}: {course.authors.map((a) => a.user.name).join("、")}
          </p>
          {experts.length ? (
            <ul className="mt-2 flex flex-wrap gap-3" aria-label={tc("experts.courseExperts")} data-testid="course-experts">
              {experts.map((e) => (
                <li key={e.id} className="flex items-center gap-2 text-sm">
                  <Link to={`/experts/${e.id}`} className="font-semibold text-brand-700 hover:underline">
                    {e.name}
                  </Link>
                  <VerifiedBadge />
                </li>
              ))}
            </ul>
          ) : null}

          <h2 className="mt-8 text-xl font-semibold">{t("course.outline")}</h2>
          <ol className="mt-3 space-y-4">
            {course.modules.map((m, mi) => (
              <li key={m.id} className="rounded-xl border border-slate-200 bg-white shadow-sm">
                <h3 className="border-b border-slate-100 px-4 py-3 font-semibold">
                  {mi + 1}. {m.title}
                </h3>
                <ul className="divide-y divide-slate-100">
                  {m.lessons.map((l) => (
                    <li key={l.id} className="flex items-center justify-between gap-3 px-4 py-2 text-sm">
                      <span className="flex items-center gap-2">
                        <span aria-hidden className={done.has(l.id) ? "text-green-600" : "text-slate-300"}>{done.has(l.id) ? "●" : "○"}</span>
                        {enrollment || editor ? (
                          <Link to={`/courses/${course.slug}/lessons/${l.id}`} className="hover:underline">{l.title}</Link>
                        ) : (
                          <span>{l.title}</span>
                        )}
                        {done.has(l.id) ? <span className="sr-only">({t("lesson.done")})</span> : null}
                      </span>
                      <span className="shrink-0 text-xs text-slate-500">
                        {t(`kinds.${l.kind}`)} · {t("course.minutes", { count: l.durationMinutes })}
                      </span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </div>

        <aside className="h-fit rounded-xl border border-slate-200 bg-white p-5 shadow-sm lg:sticky lg:top-4">
          <p className="text-sm text-slate-600">{t("course.lessonsCount", { count: lessons.length })}</p>
          {assignment ? (
            <p className="mt-2 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-700">
              {t("course.assigned", { cohort: assignment.cohort.name, date: formatDate(assignment.dueAt, { locale, timeZone }) })}
            </p>
          ) : null}
          {enrollment ? (
            <div className="mt-4 space-y-3">
              <p className="font-semibold text-green-700">{enrollment.completedAt ? t("course.completed") : t("course.enrolled")}</p>
              {progress ? (
                <>
                  <ProgressBar percent={progress.percent} label={t("course.progress", { done: progress.completed, total: progress.total })} />
                  <p className="text-sm text-slate-600" data-testid="course-progress">{t("course.progress", { done: progress.completed, total: progress.total })}</p>
                </>
              ) : null}
              {resumeId ? (
                <Link to={`/courses/${course.slug}/lessons/${resumeId}`} className="block rounded-md bg-brand-600 px-4 py-2 text-center font-semibold text-white hover:bg-brand-700">
                  {enrollment.lastLessonId ? t("course.continue") : t("course.start")}
                </Link>
              ) : null}
            </div>
          ) : loggedIn ? (
            course.status === "published" ? (
              <Form method="post" className="mt-4">
                <button type="submit" className="w-full rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">{t("course.enrol")}</button>
              </Form>
            ) : null
          ) : (
            <Link to={`/login?redirectTo=${encodeURIComponent(`/courses/${course.slug}`)}`} className="mt-4 block rounded-md bg-brand-600 px-4 py-2 text-center font-semibold text-white hover:bg-brand-700">
              {t("course.loginToEnrol")}
            </Link>
          )}
          {editor ? (
            <Link to={`/teach/courses/${course.id}`} className="mt-3 block rounded-md border border-slate-300 px-4 py-2 text-center text-sm font-medium hover:bg-slate-50">
              {t("course.edit")}
            </Link>
          ) : null}
        </aside>
      </div>
    </div>
  );
}
