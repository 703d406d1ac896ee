import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "~/domains/auth/session.server";
import {
  CoauthorError,
  PublishError,
  addCoauthor,
  addLesson,
  addModule,
  courseLearners,
  deleteLesson,
  deleteModule,
  getEditorCourse,
  listCategories,
  moveLesson,
  moveModule,
  renameModule,
  setCourseStatus,
  updateCourse,
} from "~/domains/courses/courses.server";
import { requireCourseEditor } from "~/domains/courses/permissions.server";
import { coauthorSchema, courseIdParams, courseSchema, lessonCreateSchema, moduleSchema, moveSchema, type CourseInput } from "~/domains/courses/validation";
import { parseForm, type FormReply } from "~/utils/forms.server";
import { ConformForm, useConformForm, useReplyFor } from "~/components/ui/conform-form";
import { LESSON_KINDS } from "~/domains/courses/options";
import { urlId } from "~/utils/input";
import { parseOr400, readForm } from "~/utils/input.server";
import { CourseFields } from "~/components/courses/course-fields";
import { ProgressBar } from "~/components/ui/feedback";
import { Button, SelectField, TextField } from "~/components/ui/forms";
import { UploadForm } from "~/components/courses/upload-form";
import { Icon } from "~/components/ui/icon";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.course.title ?? ""} · SkillRelay` }];


export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "expert");
  const { courseId } = parseOr400(courseIdParams, params, "URL");
  await requireCourseEditor(user, courseId);
  const [course, categories, learners] = await Promise.all([getEditorCourse(courseId), listCategories(), courseLearners(courseId)]);
  if (!course) throw new Response("Not found", { status: 404 });
  return { course, categories, learners };
}

type ActionResult = {
  ok?: string;
  error?: string;
  /** A module with lessons waits for this confirmation before it is deleted. */
  confirmDelete?: { moduleId: string; title: string; lessons: number };
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "expert");
  const { courseId } = parseOr400(courseIdParams, params, "URL");
  const raw = await readForm(request);
  const form = Object.fromEntries(raw) as Record<string, string>;
  const fail = (body: ActionResult, status = 400) => data(body, { status });
  // The forms with fields answer Conform replies (decision 031); a success empties them again.
  const done = (submission: { reply: (o: { resetForm: true }) => FormReply }, ok?: string) => data({ ...submission.reply({ resetForm: true }), ok });
  try {
    switch (form.intent) {
      case "save": {
        const submission = await parseForm(raw, courseSchema, { fallback: "errors.categoryRequired" });
        if (submission.status !== "success") return data(submission.reply(), { status: 400 });
        await updateCourse(user, courseId, submission.value);
        return done(submission, "editor.saved");
      }
      case "publish":
      case "unpublish":
        await setCourseStatus(user, courseId, form.intent === "publish" ? "published" : "draft");
        return data<ActionResult>({});
      case "addModule":
      case "renameModule": {
        const submission = await parseForm(raw, moduleSchema, { fallback: "errors.titleTooLong" });
        if (submission.status !== "success") return data(submission.reply(), { status: 400 });
        if (form.intent === "addModule") await addModule(user, courseId, submission.value.title);
        else await renameModule(user, courseId, urlId().parse(form.moduleId), submission.value.title);
        return done(submission);
      }
      case "deleteModule": {
        const moduleId = urlId().parse(form.moduleId);
        const result = await deleteModule(user, courseId, moduleId, form.confirm === "yes");
        if (!result.deleted) return data<ActionResult>({ confirmDelete: { moduleId, title: result.title, lessons: result.lessons } });
        return data<ActionResult>({ ok: "editor.moduleDeleted" });
      }
      case "moveModule":
        await moveModule(user, courseId, urlId().parse(form.moduleId), moveSchema.parse(form).direction);
        return data<ActionResult>({});
      case "addLesson": {
        const submission = await parseForm(raw, lessonCreateSchema, { fallback: "errors.badRequest" });
        if (submission.status !== "success") return data(submission.reply(), { status: 400 });
        // The author stays on the outline (to add the next one); the new lesson is linked there.
        await addLesson(user, courseId, submission.value);
        return done(submission, "editor.lessonAdded");
      }
      case "moveLesson":
        await moveLesson(user, courseId, urlId().parse(form.lessonId), moveSchema.parse(form).direction);
        return data<ActionResult>({});
      case "deleteLesson":
        await deleteLesson(user, courseId, urlId().parse(form.lessonId));
        return data<ActionResult>({});
      case "addCoauthor": {
        const submission = await parseForm(raw, coauthorSchema, { fallback: "errors.coauthorNotExpert" });
        if (submission.status !== "success") return data(submission.reply(), { status: 400 });
        try {
          await addCoauthor(user, courseId, submission.value.email);
        } catch (err) {
          if (err instanceof CoauthorError) return data(submission.reply({ fieldErrors: { email: [err.message] } }), { status: 400 });
          throw err;
        }
        return done(submission);
      }
      default:
        return fail({ error: "unknown action" });
    }
  } catch (err) {
    if (err instanceof PublishError || err instanceof CoauthorError) return fail({ error: err.message });
    if (err instanceof z.ZodError) return fail({ error: "bad request" });
    throw err;
  }
}

function ModuleTitleForm({ moduleId, title, number }: { moduleId: string; title: string; number: number }) {
  const { t } = useTranslation("courses");
  const [form, fields] = useConformForm<{ title: string }>({ id: `module-${moduleId}`, lastResult: useReplyFor({ intent: "renameModule", moduleId }), defaultValue: { title } });
  return (
    <ConformForm form={form} t={t} method="post" className="flex flex-1 items-center gap-2">
      <input type="hidden" name="intent" value="renameModule" />
      <input type="hidden" name="moduleId" value={moduleId} />
      <span className="font-semibold">{number}.</span>
      <div className="min-w-0 flex-1">
        <TextField label={t("editor.moduleTitle")} labelHidden field={fields.title} maxLength={120} required />
      </div>
      <button type="submit" className="rounded px-2 py-1 text-xs text-brand-600 hover:bg-brand-50">{t("editor.rename")}</button>
    </ConformForm>
  );
}

function NewLessonForm({ moduleId }: { moduleId: string }) {
  const { t } = useTranslation("courses");
  const [form, fields] = useConformForm<{ title: string; kind: string }>({ id: `new-lesson-${moduleId}`, lastResult: useReplyFor({ intent: "addLesson", moduleId }), defaultValue: { kind: LESSON_KINDS[0] } });
  return (
    <ConformForm form={form} t={t} method="post" className="flex flex-wrap items-end gap-2 border-t border-slate-100 bg-slate-50 px-4 py-3">
      <input type="hidden" name="intent" value="addLesson" />
      <input type="hidden" name="moduleId" value={moduleId} />
      <div className="flex-1">
        <TextField label={t("editor.lessonTitle")} field={fields.title} required maxLength={120} />
      </div>
      <SelectField label={t("editor.lessonKind")} field={fields.kind}>
        {LESSON_KINDS.map((k) => (
          <option key={k} value={k}>{t(`kinds.${k}`)}</option>
        ))}
      </SelectField>
      <button type="submit" className="mb-0.5 rounded bg-brand-600 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-700">{t("editor.addLesson")}</button>
    </ConformForm>
  );
}

function NewModuleForm() {
  const { t } = useTranslation("courses");
  const [form, fields] = useConformForm<{ title: string }>({ id: "new-module", lastResult: useReplyFor({ intent: "addModule" }) });
  return (
    <ConformForm form={form} t={t} method="post" className="mt-4 flex items-end gap-2">
      <input type="hidden" name="intent" value="addModule" />
      <div className="flex-1">
        <TextField label={t("editor.moduleTitle")} field={fields.title} required maxLength={120} />
      </div>
      <Button type="submit">{t("editor.addModule")}</Button>
    </ConformForm>
  );
}

function CourseDetailsForm() {
  const { t } = useTranslation("courses");
  const { course, categories } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useConformForm<CourseInput>({
    id: "course",
    lastResult: useReplyFor({ intent: "save" }),
    defaultValue: { title: course.title, summary: course.summary, categoryId: course.categoryId, level: course.level, language: course.language },
  });
  return (
    <ConformForm form={form} t={t} method="post" className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h2 className="text-lg font-semibold">{t("editor.details")}</h2>
      <input type="hidden" name="intent" value="save" />
      <CourseFields categories={categories} fields={fields} />
      <Button type="submit" disabled={busy}>{t("editor.save")}</Button>
    </ConformForm>
  );
}

function CoauthorForm() {
  const { t } = useTranslation("courses");
  const [form, fields] = useConformForm<{ email: string }>({ id: "coauthor", lastResult: useReplyFor({ intent: "addCoauthor" }) });
  return (
    <ConformForm form={form} t={t} method="post" className="space-y-2 border-t border-slate-100 pt-4">
      <input type="hidden" name="intent" value="addCoauthor" />
      <TextField label={t("editor.coauthorEmail")} field={fields.email} type="email" required />
      <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50">{t("editor.addCoauthor")}</button>
    </ConformForm>
  );
}

function IconButton({ intent, label, children, extra }: { intent: string; label: string; children: React.ReactNode; extra: Record<string, string> }) {
  return (
    <Form method="post" className="inline">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(extra).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button type="submit" aria-label={label} title={label} className="rounded px-2 py-1 text-sm text-slate-600 hover:bg-slate-100">
        {children}
      </button>
    </Form>
  );
}

export default function CourseEditor() {
  const { t } = useTranslation("courses");
  const { course, learners } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as (ActionResult & Partial<FormReply>) | undefined;
  const published = course.status === "published";
  return (
    <div className="mx-auto max-w-5xl px-4 py-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <Link to="/teach" className="text-sm text-brand-600 hover:underline">← {t("teach.title")}</Link>
          <h1 className="mt-1 text-2xl font-bold">{course.title}</h1>
          <p className={"mt-1 text-sm " + (published ? "text-green-700" : "text-amber-700")} data-testid="course-status">
            {published ? t("editor.published") : t("editor.draft")}
          </p>
        </div>
        <div className="flex gap-2">
          <Link to={`/courses/${course.slug}`} className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-white">{t("editor.preview")}</Link>
          <Form method="post">
            <input type="hidden" name="intent" value={published ? "unpublish" : "publish"} />
            <button type="submit" className={"rounded-md px-4 py-2 text-sm font-semibold text-white " + (published ? "bg-slate-600 hover:bg-slate-700" : "bg-green-600 hover:bg-green-700")}>
              {published ? t("editor.unpublish") : t("editor.publish")}
            </button>
          </Form>
        </div>
      </div>
      {typeof actionData?.error === "string" ? <p role="alert" className="mt-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">{t(actionData.error as string)}</p> : null}
      {actionData?.confirmDelete ? (
        <div role="alert" className="mt-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-3 text-sm text-amber-900" data-testid="confirm-delete-module">
          <p>{t("editor.confirmDeleteModule", { title: actionData.confirmDelete.title, count: actionData.confirmDelete.lessons })}</p>
          <div className="mt-2 flex gap-2">
            <Form method="post">
              <input type="hidden" name="intent" value="deleteModule" />
              <input type="hidden" name="moduleId" value={actionData.confirmDelete.moduleId} />
              <input type="hidden" name="confirm" value="yes" />
              <button type="submit" className="rounded bg-red-600 px-3 py-1.5 font-semibold text-white hover:bg-red-700">{t("editor.confirmDelete")}</button>
            </Form>
            <Link to="." className="rounded border border-slate-300 bg-white px-3 py-1.5 font-semibold text-slate-700 hover:bg-slate-50">{t("editor.cancelDelete")}</Link>
          </div>
        </div>
      ) : null}
      {actionData?.ok ? <p role="status" className="mt-4 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">{t(actionData.ok)}</p> : null}

      <section className="mt-8">
        <h2 className="text-lg font-semibold">{t("editor.modules")}</h2>
        <ol className="mt-3 space-y-4">
          {course.modules.map((m, mi) => (
            <li key={m.id} className="rounded-xl border border-slate-200 bg-white shadow-sm">
              <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-4 py-2">
                <ModuleTitleForm moduleId={m.id} title={m.title} number={mi + 1} />
                <div className="flex items-center">
                  <IconButton intent="moveModule" label={t("editor.moveUp")} extra={{ moduleId: m.id, direction: "up" }}><Icon name="up" /></IconButton>
                  <IconButton intent="moveModule" label={t("editor.moveDown")} extra={{ moduleId: m.id, direction: "down" }}><Icon name="down" /></IconButton>
                  <IconButton intent="deleteModule" label={t("editor.delete")} extra={{ moduleId: m.id }}><Icon name="close" /></IconButton>
                </div>
              </div>
              {m.lessons.length === 0 ? <p className="px-4 py-3 text-sm text-slate-500">{t("editor.noLessons")}</p> : null}
              <ul className="divide-y divide-slate-100">
                {m.lessons.map((l) => (
                  <li key={l.id} className="flex items-center justify-between gap-2 px-4 py-2 text-sm">
                    <Link to={`/teach/courses/${course.id}/lessons/${l.id}`} className="flex-1 hover:underline" data-testid="lesson-edit-link">
                      {l.title} <span className="text-xs text-slate-500">· {t(`kinds.${l.kind}`)}</span>
                    </Link>
                    <div className="flex items-center">
                      <IconButton intent="moveLesson" label={t("editor.moveUp")} extra={{ lessonId: l.id, direction: "up" }}><Icon name="up" /></IconButton>
                      <IconButton intent="moveLesson" label={t("editor.moveDown")} extra={{ lessonId: l.id, direction: "down" }}><Icon name="down" /></IconButton>
                      <IconButton intent="deleteLesson" label={t("editor.delete")} extra={{ lessonId: l.id }}><Icon name="close" /></IconButton>
                    </div>
                  </li>
                ))}
              </ul>
              <NewLessonForm moduleId={m.id} />
            </li>
          ))}
        </ol>
        <NewModuleForm />
      </section>

      <section className="mt-10 grid gap-8 lg:grid-cols-[1fr_280px]">
        <CourseDetailsForm />
        <div className="space-y-3 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <h2 className="text-lg font-semibold">{t("editor.coauthors")}</h2>
          <ul className="space-y-1 text-sm">
            {course.authors.map((a) => (
              <li key={a.user.id}>
                {a.user.name} <span className="text-xs text-slate-500">({t(`editor.${a.role}`)})</span>
              </li>
            ))}
          </ul>
          <div className="border-t border-slate-100 pt-4">
            <h2 className="text-lg font-semibold">{t("editor.cover")}</h2>
            {course.coverAsset ? (
              <img src={`/media/${course.coverAsset.id}`} alt="" className="mt-2 h-28 w-full rounded-md object-cover" />
            ) : null}
            <div className="mt-2">
              <UploadForm action={`/teach/courses/${course.id}/cover`} label="PNG / JPEG / WebP ≤ 5 MB" accept="image/png,image/jpeg,image/webp" maxBytes={5 * 1024 * 1024} />
            </div>
          </div>
          <CoauthorForm />
        </div>
      </section>
      <section className="mt-10 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="course-learners">
        <h2 className="text-lg font-semibold">{t("editor.learners", { count: learners.length })}</h2>
        {learners.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t("editor.noLearners")}</p>
        ) : (
          <table className="mt-3 w-full text-sm">
            <thead>
              <tr className="text-left text-xs uppercase tracking-wide text-slate-500">
                <th className="py-1 pr-4 font-medium">{t("editor.learner")}</th>
                <th className="py-1 pr-4 font-medium">{t("editor.source")}</th>
                <th className="w-1/2 py-1 font-medium">{t("editor.progress")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {learners.map((l) => (
                <tr key={l.user.id}>
                  <td className="py-2 pr-4">{l.user.name}</td>
                  <td className="py-2 pr-4 text-slate-600">{t(`editor.sources.${l.source}`)}</td>
                  <td className="py-2">
                    <ProgressBar percent={l.progress.percent} label={t("course.progress", { done: l.progress.completed, total: l.progress.total })} />
                    <span className="text-xs text-slate-500">{t("course.progress", { done: l.progress.completed, total: l.progress.total })}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
