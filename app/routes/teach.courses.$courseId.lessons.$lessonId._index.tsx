import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/domains/auth/session.server";
import { editableLesson, getLessonEditor, updateLesson } from "~/domains/courses/courses.server";
import { lessonEditParams, lessonUpdateSchema, type LessonUpdateInput } from "~/domains/courses/validation";
import { parseOr400 } from "~/utils/input.server";
import { parseForm } from "~/utils/forms.server";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, TextArea, TextField } from "~/components/ui/forms";
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
  const submission = await parseForm(request, lessonUpdateSchema, { fallback: "errors.titleTooLong" });
  if (submission.status !== "success") return data({ ...submission.reply(), saved: false }, { status: 400 });
  await updateLesson(user, courseId, lessonId, submission.value);
  // The form starts again from the saved lesson.
  return data({ ...submission.reply({ resetForm: true }), saved: true });
}

export default function LessonEditor() {
  const { t } = useTranslation("courses");
  const { course, lesson, images } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useConformForm<LessonUpdateInput>({
    id: "lesson",
    lastResult: actionData,
    defaultValue: { title: lesson.title, body: lesson.body, taskHandIn: lesson.taskHandIn, durationMinutes: String(lesson.durationMinutes) },
  });
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

      <ConformForm form={form} t={t} method="post" className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        {actionData?.saved ? <p role="status" className="text-sm text-green-700">{t("editor.saved")}</p> : null}
        <TextField label={t("editor.lessonTitle")} field={fields.title} required maxLength={120} />
        <TextArea label={t("lessonEditor.body")} field={fields.body} rows={12} hint={t("lessonEditor.bodyHint")} className="font-mono text-sm" />
        {lesson.kind === "task" ? (
          <TextArea label={t("lessonEditor.handIn")} field={fields.taskHandIn} rows={5} className="font-mono text-sm" />
        ) : (
          <input type="hidden" name="taskHandIn" value={lesson.taskHandIn} />
        )}
        <TextField label={t("lessonEditor.minutes")} field={fields.durationMinutes} type="number" min={1} max={600} />
        <Button type="submit" disabled={busy}>{t("lessonEditor.save")}</Button>
      </ConformForm>
    </div>
  );
}
