import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useFetcher, useLoaderData, useActionData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/domains/auth/session.server";
import { checkHandInAllowed, getLessonForStudy, markTextRead, recordVideoPosition, submitHandIn } from "~/domains/courses/lessons.server";
import { discardUpload, parseUploadForm, UploadError } from "~/domains/courses/uploads.server";
import { HandInError } from "~/domains/courses/hand-ins.server";
import { lessonStudyParams, taskSubmissionSchema, videoPositionSchema } from "~/domains/courses/validation";
import { parseOr400, readForm } from "~/utils/input.server";
import { formatBytes } from "~/utils/format";
import { recordPlayedRange } from "~/domains/records/played.server";
import { playedRangeSchema } from "~/domains/records/validation";
import { formatDateTime } from "~/utils/datetime";
import { useRootData } from "~/utils/use-root";
import { Icon } from "~/components/ui/icon";
import { LearnerResult } from "~/components/assessment/result";
import { HandInFiles } from "~/components/assessment/hand-in-files";
import { HandInForm } from "~/components/courses/hand-in-form";
import { Notice } from "~/components/ui/feedback";
import { learnerResult } from "~/domains/assessment/marking.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.lesson.title} · ${data.course.title}` : "SkillRelay" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { slug, lessonId } = parseOr400(lessonStudyParams, params, "URL");
  try {
    const study = await getLessonForStudy(user, slug, lessonId);
    const result = study.lesson.kind === "task" && !study.preview ? await learnerResult(user.id, lessonId) : null;
    return { ...study, result };
  } catch (err) {
    // Not enrolled: back to the course page, which offers enrolment.
    if (err instanceof Response && err.status === 403) throw redirect(`/courses/${slug}`);
    throw err;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { slug, lessonId } = parseOr400(lessonStudyParams, params, "URL");
  const contentType = request.headers.get("Content-Type") ?? "";

  if (contentType.startsWith("multipart/form-data")) {
    // Task hand-in: the note, finished resumable uploads (ids) and/or one file streamed to disk
    // (the form without JavaScript). Refused before any byte is stored unless this is a task
    // of this course that the user is enrolled in and has an attempt left.
    let body = "";
    try {
      await checkHandInAllowed(user.id, slug, lessonId);
      const { fields: form, file } = await parseUploadForm(request, "submission");
      body = String(form.get("body") ?? "").slice(0, 10_000);
      const parsed = taskSubmissionSchema.safeParse({ body: form.get("body") ?? "", uploads: form.getAll("upload") });
      if (!parsed.success) {
        await discardUpload(file);
        return data({ error: parsed.error.issues[0].message, params: {}, body }, { status: 400 });
      }
      await submitHandIn(user.id, lessonId, parsed.data.body, file, parsed.data.uploads);
      return data({ error: null, params: {} });
    } catch (err) {
      if (err instanceof UploadError) {
        return data({ error: `errors.upload_${err.code}`, params: {}, body }, { status: err.status, headers: err.status === 413 ? { Connection: "close" } : undefined });
      }
      // The note comes back into the form (without JavaScript nothing else keeps it).
      if (err instanceof HandInError) return data({ error: `errors.handIn_${err.code}`, params: err.params, body }, { status: err.status });
      throw err;
    }
  }

  const form = Object.fromEntries(await readForm(request));
  if (form.intent === "read") {
    await markTextRead(user.id, lessonId);
    return data({ error: null, params: {} });
  }
  if (form.intent === "position") {
    const parsed = videoPositionSchema.safeParse(form);
    if (!parsed.success) return data({ error: "bad position", params: {} }, { status: 400 });
    const result = await recordVideoPosition(user.id, lessonId, parsed.data.position);
    // Training-hour records: the range played since the player's last jump (issue 12).
    if (form.rangeFrom !== undefined) {
      const range = playedRangeSchema.safeParse({ from: form.rangeFrom, to: form.position });
      if (range.success) await recordPlayedRange(user.id, lessonId, range.data);
    }
    return data({ error: null, params: {}, ...result });
  }
  return data({ error: "unknown intent", params: {} }, { status: 400 });
}

function VideoLesson({ src, duration, watched, done, resumeAt }: { src: string; duration: number | null; watched: number; done: boolean; resumeAt: number }) {
  const { t } = useTranslation("courses");
  const fetcher = useFetcher();
  const reply = fetcher.data as { watchedSeconds?: number; completed?: boolean } | undefined;
  const video = useRef<HTMLVideoElement>(null);
  const lastSent = useRef<number | null>(null);
  const rangeStart = useRef<number | null>(null);
  // Seconds played since the server last counted; the bar moves with them between reports.
  const [played, setPlayed] = useState(0);
  const base = reply?.watchedSeconds ?? watched;
  useEffect(() => setPlayed(0), [base]);
  useEffect(() => {
    const el = video.current;
    if (!el) return;
    // Resume where the learner stopped (not at the very end, which would look finished).
    const resume = () => {
      if (resumeAt > 0 && el.currentTime < 1 && (!el.duration || resumeAt < el.duration - 2)) el.currentTime = resumeAt;
    };
    let last = el.currentTime;
    const tick = () => {
      const delta = el.currentTime - last;
      last = el.currentTime;
      if (!el.paused && delta > 0 && delta < 2) setPlayed((p) => p + delta);
    };
    if (el.readyState >= 1) resume();
    el.addEventListener("loadedmetadata", resume);
    el.addEventListener("timeupdate", tick);
    const jumped = () => (last = el.currentTime);
    el.addEventListener("seeked", jumped);
    return () => {
      el.removeEventListener("loadedmetadata", resume);
      el.removeEventListener("timeupdate", tick);
      el.removeEventListener("seeked", jumped);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    const el = video.current;
    if (!el || done) return;
    // The server counts watched time from successive positions (capped by the time between
    // reports), so report when playback starts, every 10 s while playing, and when it stops.
    const send = () => {
      const position = Math.floor(el.currentTime);
      if (position === lastSent.current) return;
      lastSent.current = position;
      // The played range since the last jump: the server stores it for training-hour records.
      const from = Math.min(rangeStart.current ?? position, position);
      rangeStart.current = position;
      fetcher.submit({ intent: "position", position: String(position), rangeFrom: String(from) }, { method: "post" });
    };
    const jumpedTo = () => (rangeStart.current = Math.floor(el.currentTime));
    el.addEventListener("seeking", jumpedTo);
    const timer = setInterval(() => !el.paused && send(), 10_000);
    const events = ["play", "pause", "ended", "seeked"] as const;
    for (const e of events) el.addEventListener(e, send);
    return () => {
      clearInterval(timer);
      el.removeEventListener("seeking", jumpedTo);
      for (const e of events) el.removeEventListener(e, send);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [done]);
  const percent = duration ? Math.min(100, Math.round(((base + played) / duration) * 100)) : 0;
  return (
    <div>
      <video ref={video} src={src} controls preload="metadata" playsInline className="aspect-video w-full rounded-lg bg-black" data-testid="lesson-video" />
      <p className="mt-2 text-sm text-slate-600">
        {done || reply?.completed ? (
          <span className="font-semibold text-green-700">{t("lesson.done")} <Icon name="check" /></span>
        ) : (
          <>
            {t("lesson.videoHint")} {t("lesson.videoProgress", { percent })}
          </>
        )}
      </p>
    </div>
  );
}

export default function LessonPage() {
  const { t } = useTranslation("courses");
  const { locale, timeZone } = useRootData();
  const { course, outline, lesson, position, progress, completedLessonIds, submissions, attempts, preview, result } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const done = Boolean(progress?.completedAt);
  const completed = new Set(completedLessonIds);
  return (
    <div className="mx-auto grid max-w-6xl gap-8 px-4 py-6 lg:grid-cols-[260px_1fr]">
      <nav aria-label={t("lesson.outline")} className="order-2 lg:order-1">
        <Link to={`/courses/${course.slug}`} className="text-sm font-medium text-brand-600 hover:underline">← {t("lesson.backToCourse")}</Link>
        <ol className="mt-3 space-y-3 text-sm">
          {outline.map((m) => (
            <li key={m.id}>
              <p className="font-semibold text-slate-700">{m.title}</p>
              <ul className="mt-1 space-y-1">
                {m.lessons.map((l) => (
                  <li key={l.id}>
                    <Link
                      to={`/courses/${course.slug}/lessons/${l.id}`}
                      aria-current={l.id === lesson.id ? "page" : undefined}
                      className={"flex items-center gap-2 rounded px-2 py-1 " + (l.id === lesson.id ? "bg-brand-50 font-semibold text-brand-700" : "hover:bg-white")}
                    >
                      <span aria-hidden className={completed.has(l.id) ? "text-green-600" : "text-slate-300"}>{completed.has(l.id) ? "●" : "○"}</span>
                      {l.title}
                    </Link>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      </nav>

      <article className="order-1 min-w-0 lg:order-2">
        {preview ? <p className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-800">{t("lesson.previewNotice")}</p> : null}
        <p className="text-sm text-slate-500">
          {course.title} · {position.moduleTitle} · {t("lesson.of", { index: position.index + 1, total: position.total })}
        </p>
        <h1 className="mt-1 text-2xl font-bold">{lesson.title}</h1>
        <p className="mt-1 text-xs uppercase tracking-wide text-brand-600">{t(`kinds.${lesson.kind}`)}</p>

        <div className="mt-6 space-y-6">
          {lesson.kind === "video" ? (
            lesson.asset ? (
              <VideoLesson src={`/media/${lesson.asset.id}`} duration={lesson.asset.durationSeconds} watched={progress?.watchedSeconds ?? 0} done={done} resumeAt={progress?.videoPosition ?? 0} />
            ) : (
              <p className="text-slate-600">{t("lesson.noVideo")}</p>
            )
          ) : null}

          {lesson.html ? <div className="prose max-w-none" dangerouslySetInnerHTML={{ __html: lesson.html }} /> : null}

          {lesson.kind === "material" ? (
            lesson.asset ? (
              <div className="rounded-lg border border-slate-200 bg-white p-4">
                <a
                  href={`/media/${lesson.asset.id}?download=1&lesson=${lesson.id}`}
                  className="inline-flex items-center gap-2 rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
                  data-testid="material-download"
                  download
                >
                  <Icon name="download" /> {t("lesson.download", { name: lesson.asset.originalName })} ({formatBytes(lesson.asset.sizeBytes)})
                </a>
                <p className="mt-2 text-sm text-slate-600">{done ? <>{t("lesson.done")} <Icon name="check" /></> : t("lesson.downloadHint")}</p>
              </div>
            ) : (
              <p className="text-slate-600">{t("lesson.noMaterial")}</p>
            )
          ) : null}

          {lesson.kind === "text" ? (
            done ? (
              <p className="font-semibold text-green-700" data-testid="lesson-done">{t("lesson.read")} <Icon name="check" /></p>
            ) : (
              <Form method="post">
                <input type="hidden" name="intent" value="read" />
                <button type="submit" disabled={busy} className="rounded-md bg-green-600 px-4 py-2 font-semibold text-white hover:bg-green-700">
                  {t("lesson.markRead")}
                </button>
              </Form>
            )
          ) : null}

          {lesson.kind === "task" ? (
            <section className="space-y-4 rounded-xl border border-slate-200 bg-white p-5">
              {lesson.handInHtml ? (
                <>
                  <h2 className="font-semibold">{t("lesson.taskHandIn")}</h2>
                  <div className="prose max-w-none" dangerouslySetInnerHTML={{ __html: lesson.handInHtml }} />
                </>
              ) : null}
              {attempts?.allowed ? <p className="text-sm text-slate-600" data-testid="attempts">{t("handIn.attempts", { used: attempts.used, allowed: attempts.allowed })}</p> : null}
              {preview ? null : attempts?.allowed && attempts.used >= attempts.allowed ? (
                <Notice tone="info">{t("errors.handIn_attempts_used", { allowed: attempts.allowed })}</Notice>
              ) : (
                // Keyed by the hand-in count: after a successful hand-in the note and files are cleared.
                <HandInForm
                  key={submissions.length}
                  lessonId={lesson.id}
                  count={submissions.length}
                  busy={busy}
                  error={actionData?.error ? t(actionData.error, actionData.params) : null}
                  initialBody={actionData && "body" in actionData ? String(actionData.body ?? "") : ""}
                />
              )}
              {result ? <LearnerResult result={result} /> : null}
              {submissions.length ? (
                <div>
                  <h3 className="text-sm font-semibold">{t("lesson.yourSubmissions")}</h3>
                  <ul className="mt-2 space-y-2 text-sm">
                    {submissions.map((s) => (
                      <li key={s.id} className="rounded border border-slate-100 bg-slate-50 p-2">
                        <p className="text-xs text-slate-500">{t("lesson.submitted", { date: formatDateTime(s.createdAt, { locale, timeZone }) })}</p>
                        {s.body ? <p className="whitespace-pre-wrap">{s.body}</p> : null}
                        <HandInFiles files={s.files} />
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </section>
          ) : null}
        </div>

        <div className="mt-10 flex justify-between gap-4 border-t border-slate-200 pt-4 text-sm">
          {position.prev ? (
            <Link to={`/courses/${course.slug}/lessons/${position.prev.id}`} className="rounded-md border border-slate-300 px-3 py-2 hover:bg-white">← {t("lesson.prev")}</Link>
          ) : <span />}
          {position.next ? (
            <Link to={`/courses/${course.slug}/lessons/${position.next.id}`} className="rounded-md bg-brand-600 px-3 py-2 font-semibold text-white hover:bg-brand-700" data-testid="next-lesson">{t("lesson.next")} →</Link>
          ) : null}
        </div>
      </article>
    </div>
  );
}
