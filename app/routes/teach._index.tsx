import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/domains/auth/session.server";
import { coursesAuthoredBy, createCourse, listCategories } from "~/domains/courses/courses.server";
import { courseSchema, type CourseInput } from "~/domains/courses/validation";
import { parseForm } from "~/utils/forms.server";
import { CourseFields } from "~/components/courses/course-fields";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button } from "~/components/ui/forms";
import { formatDate } from "~/utils/datetime";
import { useRootData } from "~/utils/use-root";

export const meta: MetaFunction = () => [{ title: "Teaching · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "expert");
  const [courses, categories] = await Promise.all([coursesAuthoredBy(user.id), listCategories()]);
  return { courses, categories };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "expert");
  const submission = await parseForm(request, courseSchema, { fallback: "errors.categoryRequired" });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const course = await createCourse(user, submission.value);
  throw redirect(`/teach/courses/${course.id}`);
}

export default function Teach() {
  const { t } = useTranslation("courses");
  const { locale, timeZone } = useRootData();
  const { courses, categories } = useLoaderData<typeof loader>();
  const [form, fields] = useConformForm<CourseInput>({ id: "new-course", lastResult: useActionData<typeof action>(), defaultValue: { categoryId: "", level: "beginner", language: locale } });
  const busy = useNavigation().state === "submitting";
  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <h1 className="text-2xl font-bold">{t("teach.title")}</h1>
      <p className="mt-1 text-slate-600">{t("teach.lead")}</p>
      <p className="mt-3 flex flex-wrap gap-2">
        <Link to="/competitions" className="rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-50">{t("common:nav.competitions")}</Link>
        <Link to="/marking" className="rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-50">{t("assessment:marking.queueTitle")}</Link>
      </p>
      {courses.length === 0 ? (
        <p className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-600">{t("teach.empty")}</p>
      ) : (
        <ul className="mt-6 divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          {courses.map((c) => (
            <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
              <div>
                <p className="font-semibold">{c.title}</p>
                <p className="text-xs text-slate-500">
                  {locale === "en" ? c.category.nameEn : c.category.nameZh} · {t(`levels.${c.level}`)} · {t("teach.modules", { count: c._count.modules })} ·{" "}
                  {t("teach.enrolments", { count: c._count.enrollments })} · {formatDate(c.updatedAt, { locale, timeZone })}
                </p>
              </div>
              <div className="flex items-center gap-2">
                <span className={"rounded-full px-2 py-0.5 text-xs font-semibold " + (c.status === "published" ? "bg-green-100 text-green-800" : "bg-amber-100 text-amber-800")}>
                  {t(`teach.status.${c.status}`)}
                </span>
                <Link to={`/courses/${c.slug}`} className="rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-50">{t("teach.view")}</Link>
                <Link to={`/teach/courses/${c.id}`} className="rounded bg-brand-600 px-3 py-1 text-sm font-semibold text-white hover:bg-brand-700">{t("teach.editCourse")}</Link>
              </div>
            </li>
          ))}
        </ul>
      )}

      <section className="mt-10 max-w-2xl">
        <h2 className="text-xl font-semibold">{t("teach.newCourse")}</h2>
        <ConformForm form={form} t={t} method="post" className="mt-4 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <CourseFields categories={categories} fields={fields} />
          <Button type="submit" disabled={busy}>{t("teach.create")}</Button>
        </ConformForm>
      </section>
    </div>
  );
}
