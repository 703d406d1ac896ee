import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/domains/auth/session.server";
import { fieldErrors } from "~/domains/auth/validation";
import { editableLesson, getLessonEditor, updateLesson } from "~/domains/courses/courses.server";
import { lessonEditParams, lessonUpdateSchema } from "~/domains/courses/validation";
import { parseOr400, readForm } from "~/utils/input.server";
import { Button, TextField } from "~/components/ui/forms";
import { UploadForm } from "~/components/courses/upload-form";
import { formatBytes } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Edit lesson · SkillRelay" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "expert");
  const { courseId, lessonId } = parseOr400(lessonEditParams, params, "URL");
  return getLessonEditor(user, courseId, lessonId);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "expert");
  const { courseId, lessonId } = parseOr400(lessonEditParams, params, "URL");
  await editableLesson(user, courseId, lessonId);
  const form = Object.fromEntries(await readForm(request)) as Record<string, string>;
  const parsed = lessonUpdateSchema.safeParse(form);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), saved: false }, { status: 400 });
  await updateLesson(user, courseId, lessonId, parsed.data);
  return data({ errors: {} as Partial<Record<string, string>>, saved: true });
}

export default function LessonEditor() {
  const { t } = useTranslation("courses");
  const { course, lesson, images } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.errors as Partial<Record<string, string>> | undefined;
  const err = (k: string) => (errors?.[k] ? t(errors[k]!) : undefined);
  const uploadError = params.get("uploadError");
  return (
    <div className="mx-auto max-w-3xl px-4 py-8">
      <Link to={`/teach/courses/${course.id}`} className="text-sm text-brand-600 hover:underline">← {t("lessonEditor.back")}</Link>
      <h1 className="mt-1 text-2xl font-bold">{t("lessonEditor.title")}</h1>
      <p className="text-sm text-slate-500">
        {course.title} · {lesson.moduleTitle} · {t(`kinds.${lesson.kind}`)}
      </p>

      {lesson.kind === "video" || lesson.kind === "material" ? (
        <section className="mt-6 space-y-3 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <h2 className="font-semibold">{t("lessonEditor.file")}</h2>
          <p className="text-sm text-slate-600" data-testid="current-file">
            {lesson.asset ? t("lessonEditor.current", { name: lesson.asset.originalName, size: formatBytes(lesson.asset.sizeBytes) }) : t("lessonEditor.none")}
          </p>
          {params.get("uploaded") ? <p role="status" className="text-sm text-green-700">{t("lessonEditor.uploaded")}</p> : null}
          {uploadError ? <p role="alert" className="text-sm text-red-600">{t("lessonEditor.failed", { reason: t(`errors.upload_${uploadError}`) })}</p> : null}
          <UploadForm
            action={`/teach/courses/${course.id}/lessons/${lesson.id}/upload`}
            label={lesson.kind === "video" ? t("lessonEditor.videoFile") : t("lessonEditor.materialFile")}
            accept={lesson.kind === "video" ? "video/mp4,video/webm,video/quicktime" : undefined}
            maxBytes={lesson.kind === "video" ? 500 * 1024 * 1024 : 50 * 1024 * 1024}
          />
        </section>
      ) : null}

      <section className="mt-6 space-y-3 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="lesson-images">
        <h2 className="font-semibold">{t("lessonEditor.images")}</h2>
        <p className="text-sm text-slate-600">{t("lessonEditor.imagesHint")}</p>
        {images.length ? (
          <ul className="space-y-1 text-sm">
            {images.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center gap-2">
                <span className="text-slate-600">{i.name}</span>
                <code className="select-all rounded bg-slate-100 px-1 text-xs">{i.markdown}</code>
              </li>
            ))}
          </ul>
        ) : null}
        <UploadForm
          action={`/teach/courses/${course.id}/lessons/${lesson.id}/image`}
          label={t("lessonEditor.imageFile")}
          submitLabel={t("lessonEditor.uploadImage")}
          accept="image/png,image/jpeg,image/webp,image/gif"
          maxBytes={5 * 1024 * 1024}
        />
      </section>

      <Form method="post" className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        {actionData?.saved ? <p role="status" className="text-sm text-green-700">{t("editor.saved")}</p> : null}
        <TextField label={t("editor.lessonTitle")} name="title" required maxLength={120} defaultValue={lesson.title} error={err("title")} />
        <div className="space-y-1">
          <label htmlFor="field-body" className="block text-sm font-medium text-slate-700">{t("lessonEditor.body")}</label>
          <textarea id="field-body" name="body" rows={12} defaultValue={lesson.body} aria-describedby="body-hint" className="block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm" />
          <p id="body-hint" className="text-xs text-slate-500">{t("lessonEditor.bodyHint")}</p>
          {err("body") ? <p role="alert" className="text-sm text-red-600">{err("body")}</p> : null}
        </div>
        {lesson.kind === "task" ? (
          <div className="space-y-1">
            <label htmlFor="field-handin" className="block text-sm font-medium text-slate-700">{t("lessonEditor.handIn")}</label>
            <textarea id="field-handin" name="taskHandIn" rows={5} defaultValue={lesson.taskHandIn} className="block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm" />
          </div>
        ) : (
          <input type="hidden" name="taskHandIn" value={lesson.taskHandIn} />
        )}
        <TextField label={t("lessonEditor.minutes")} name="durationMinutes" type="number" min={1} max={600} defaultValue={lesson.durationMinutes} error={err("durationMinutes")} />
        <Button type="submit" disabled={busy}>{t("lessonEditor.save")}</Button>
      </Form>
    </div>
  );
}
