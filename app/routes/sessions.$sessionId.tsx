import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, TextArea } from "~/components/ui/forms";
import { Icon } from "~/components/ui/icon";
import { requireUser } from "~/domains/auth/session.server";
import { JOIN_EARLY_MS } from "~/domains/live/access";
import { coveredMs, formatDuration } from "~/domains/live/format";
import { formatDateTime, formatTime } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";
import { boardOpCount } from "~/domains/live/board.server";
import { sessionPolls } from "~/domains/live/polls.server";
import { sessionAnalytics } from "~/domains/live/stats.server";
import { analyticsView } from "~/domains/live/analytics";
import { SessionAnalyticsSection } from "~/components/live/SessionAnalytics";
import { UnknownInviteesError, checkAccess, getSessionDetails, inviteToSession } from "~/domains/live/sessions.server";
import { inviteSchema } from "~/domains/live/validation";
import { parseForm } from "~/utils/forms.server";

export const handle = { i18n: "live" };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data && "session" in data && data.session ? `${data.session.title} · SkillRelay` : "Session · SkillRelay" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessionId = params.sessionId ?? "";
  const { decision, view } = await checkAccess(user, sessionId);
  if (!view.ok) {
    return data({ refused: view.reason, session: null }, { status: view.reason === "not_found" ? 404 : 403 });
  }
  const isModerator = view.role === "host" || view.role === "admin";
  const now = new Date();
  const [details, dates, polls, boardOps, stats] = await Promise.all([
    getSessionDetails(sessionId),
    dateOptions(request, user),
    isModerator ? sessionPolls(sessionId) : Promise.resolve([]),
    boardOpCount(sessionId),
    // Host and moderators only: learners never see the others' figures.
    isModerator ? sessionAnalytics(sessionId, now) : Promise.resolve(null),
  ]);
  if (!details) return data({ refused: "not_found" as const, session: null }, { status: 404 });
  const over = details.status === "ended" || details.status === "cancelled" || details.endsAt < now;

  const rows = details.attendances.filter((a) => isModerator || a.userId === user.id);
  const byUser = new Map<string, { name: string; intervals: { from: Date; to: Date }[] }>();
  for (const a of rows) {
    const entry = byUser.get(a.userId) ?? { name: a.user.name, intervals: [] };
    entry.intervals.push({ from: a.joinedAt, to: a.leftAt ?? now });
    byUser.set(a.userId, entry);
  }

  return {
    refused: null,
    session: {
      id: details.id,
      title: details.title,
      kind: details.kind,
      status: details.status,
      capacity: details.capacity,
      hostName: details.host.name,
      course: details.course,
      when: `${formatDateTime(details.startsAt, dates)} – ${formatTime(details.endsAt, dates)}`,
      opensAt: formatDateTime(new Date(details.startsAt.getTime() - JOIN_EARLY_MS), dates),
    },
    role: view.role,
    isModerator,
    over,
    join: decision.ok ? ("open" as const) : decision.reason,
    people: isModerator
      ? [
          ...details.invites.map((i) => ({ id: i.user.id, name: i.user.name, email: i.user.email, via: i.banned ? ("removed" as const) : ("invited" as const) })),
          ...details.bookings
            .filter((b) => !details.invites.some((i) => i.user.id === b.learner.id))
            .map((b) => ({ id: b.learner.id, name: b.learner.name, email: null, via: "booked" as const })),
        ]
      : [],
    attendance: rows.map((a) => ({
      id: a.id,
      name: a.user.name,
      joined: formatTime(a.joinedAt, dates),
      left: a.leftAt ? formatTime(a.leftAt, dates) : null,
      duration: formatDuration((a.leftAt ?? now).getTime() - a.joinedAt.getTime()),
      closedBy: a.closedBy,
    })),
    totals: [...byUser.entries()].map(([userId, e]) => ({ userId, name: e.name, total: formatDuration(coveredMs(e.intervals)) })),
    recordings: details.recordings.map((r) => ({
      id: r.id,
      status: r.status,
      started: formatDateTime(r.startedAt, dates),
      duration: r.durationMs ? formatDuration(r.durationMs) : null,
      error: r.error,
    })),
    // The whiteboard (everyone of the session): how much is on it; the PDF is /sessions/:id/board.pdf.
    boardOps,
    // Host and admins only (the answers are theirs to see): kind, question, counts.
    polls: polls.map((p) => ({
      id: p.id,
      question: p.question,
      kind: p.kind,
      anonymous: p.anonymous,
      status: p.status,
      options: p.kind === "true_false" ? null : p.options,
      counts: p.counts,
      total: p.total,
      asked: formatTime(p.createdAt, dates),
    })),
    analytics: stats ? analyticsView(stats, dates, sessionId) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const sessionId = params.sessionId ?? "";
  const { view, session } = await checkAccess(user, sessionId);
  if (!view.ok || !session) throw new Response("Not found", { status: 404 });
  if (view.role !== "host" && view.role !== "admin") throw new Response("Forbidden", { status: 403 });
  const submission = await parseForm(request, inviteSchema, { fallback: "errors.invalid" });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  try {
    const added = await inviteToSession(sessionId, session.hostId, submission.value.invitees);
    return { ok: true as const, added };
  } catch (error) {
    if (error instanceof UnknownInviteesError) {
      // `missing` fills the message's {{emails}}.
      return data({ ...submission.reply({ fieldErrors: { invitees: ["errors.unknownInvitees"] } }), missing: error.emails }, { status: 400 });
    }
    throw error;
  }
}

export default function SessionPage() {
  const { t } = useTranslation("live");
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [inviteForm, inviteFields] = useConformForm({ id: "invite", lastResult: actionData });
  const missing = actionData && "missing" in actionData && Array.isArray(actionData.missing) ? actionData.missing.join(", ") : "";
  if (!loaded.session || loaded.refused) {
    return (
      <div className="mx-auto max-w-lg px-4 py-16 text-center" data-testid="session-refused" data-reason={loaded.refused ?? "not_found"}>
        <h1 className="text-2xl font-bold">{t("refused.title")}</h1>
        <p className="mt-4 text-lg">{t(`refused.${loaded.refused ?? "not_found"}`)}</p>
        <Link to="/live" className="mt-8 inline-block rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold">{t("backToSessions")}</Link>
      </div>
    );
  }
  const { session, join, isModerator, over, people, attendance, totals, recordings, polls, boardOps, analytics } = loaded;
  return (
    <div className="mx-auto max-w-4xl px-4 py-10" data-testid="session-page">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">{t(`kind.${session.kind}`)}</p>
      <h1 className="mt-1 text-2xl font-bold">{session.title}</h1>
      <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        <div><dt className="inline font-medium text-slate-600">{t("details.when")}: </dt><dd className="inline">{session.when}</dd></div>
        <div><dt className="inline font-medium text-slate-600">{t("details.host")}: </dt><dd className="inline">{session.hostName}</dd></div>
        <div>
          <dt className="inline font-medium text-slate-600">{t("details.status")}: </dt>
          <dd className="inline" data-testid="session-status">{t(`status.${session.status}`)}</dd>
        </div>
        <div><dt className="inline font-medium text-slate-600">{t("details.capacity")}: </dt><dd className="inline">{session.capacity}</dd></div>
        {session.course ? (
          <div>
            <dt className="inline font-medium text-slate-600">{t("details.course")}: </dt>
            <dd className="inline"><Link className="underline" to={`/courses/${session.course.slug}`}>{session.course.title}</Link></dd>
          </div>
        ) : null}
      </dl>

      <div className="mt-6">
        {join === "open" ? (
          <Link to={`/live/${session.id}`} data-testid="session-join" className="inline-block rounded-md bg-brand-600 px-6 py-3 text-lg font-semibold text-white hover:bg-brand-700">
            {t("join")}
          </Link>
        ) : join === "too_early" ? (
          <p className="rounded-md bg-slate-100 px-4 py-3" data-testid="session-not-open">{t("refused.opensAt", { when: session.opensAt })}</p>
        ) : (
          <p className="rounded-md bg-slate-100 px-4 py-3" data-testid="session-closed">{t(`refused.${join}`)}</p>
        )}
      </div>

      {recordings.length > 0 ? (
        <section className="mt-10" aria-labelledby="recordings">
          <h2 id="recordings" className="text-lg font-semibold">{t("recordings.title")}</h2>
          <ul className="mt-3 space-y-4">
            {recordings.map((r) => (
              <li key={r.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="recording" data-status={r.status} data-recording-id={r.id}>
                <p className="text-sm text-slate-600">
                  {r.started}
                  {r.duration ? ` · ${r.duration}` : ""}
                </p>
                {r.status === "ready" ? (
                  <video controls preload="metadata" className="mt-2 w-full rounded-lg bg-black" src={`/sessions/${session.id}/recordings/${r.id}`} data-testid="recording-video">
                    <track kind="captions" />
                  </video>
                ) : r.status === "failed" ? (
                  <p className="mt-2 text-sm text-red-700" role="alert">{t("recordings.failed", { reason: r.error ?? "" })}</p>
                ) : (
                  <p className="mt-2 text-sm text-slate-700">{t("recordings.processing")}</p>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : over ? (
        <p className="mt-10 text-sm text-slate-600">{t("recordings.none")}</p>
      ) : null}

      <section className="mt-10" aria-labelledby="board" data-testid="session-board">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="board" className="text-lg font-semibold">{t("board.sessionTitle")}</h2>
          {boardOps > 0 ? (
            <a href={`/sessions/${session.id}/board.pdf`} download className="inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-semibold" data-testid="board-pdf">
              <Icon name="download" />
              {t("board.download")}
            </a>
          ) : null}
        </div>
        <p className="mt-2 text-sm text-slate-600">{boardOps > 0 ? t("board.drawn", { count: boardOps }) : t("board.sessionEmpty")}</p>
      </section>

      {isModerator ? (
        <section className="mt-10" aria-labelledby="polls" data-testid="session-polls">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="polls" className="text-lg font-semibold">{t("polls.sessionTitle")}</h2>
            {polls.length > 0 ? (
              <a href={`/sessions/${session.id}/polls.csv`} download className="inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-semibold" data-testid="polls-csv">
                <Icon name="download" />
                {t("polls.download")}
              </a>
            ) : null}
          </div>
          {polls.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">{t("polls.sessionEmpty")}</p>
          ) : (
            <ol className="mt-3 space-y-3">
              {polls.map((p) => (
                <li key={p.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="session-poll">
                  <p className="text-xs font-semibold uppercase text-slate-500">
                    {p.asked} · {t(`polls.kinds.${p.kind}`)}
                    {p.anonymous ? ` · ${t("polls.anonymous")}` : ""} · {t(`polls.status.${p.status}`)}
                  </p>
                  <p className="mt-1 break-words font-semibold">{p.question}</p>
                  <p className="mt-1 text-sm text-slate-600">{t("polls.total", { count: p.total })}</p>
                  {p.kind !== "short" ? (
                    <ul className="mt-2 space-y-1 text-sm">
                      {(p.options ?? [t("polls.true"), t("polls.false")]).map((label, i) => (
                        <li key={i} className="flex justify-between gap-2">
                          <span className="break-words">{label}</span>
                          <span className="tabular-nums">{p.counts[i] ?? 0}</span>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}

      {analytics ? <SessionAnalyticsSection analytics={analytics} /> : null}

      {attendance.length > 0 ? (
        <section className="mt-10" aria-labelledby="attendance">
          <h2 id="attendance" className="text-lg font-semibold">{isModerator ? t("attendance.title") : t("attendance.mine")}</h2>
          <ul className="mt-2 flex flex-wrap gap-2 text-sm" data-testid="attendance-totals">
            {totals.map((x) => (
              <li key={x.userId} className="rounded bg-brand-50 px-2 py-1">{t("attendance.total", { name: x.name, total: x.total })}</li>
            ))}
          </ul>
          <div className="mt-3 overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="attendance-table">
              <thead className="border-b border-slate-200 text-slate-600">
                <tr>
                  <th className="py-2 pr-4">{t("attendance.name")}</th>
                  <th className="py-2 pr-4">{t("attendance.joined")}</th>
                  <th className="py-2 pr-4">{t("attendance.left")}</th>
                  <th className="py-2 pr-4">{t("attendance.duration")}</th>
                  <th className="py-2">{t("attendance.how")}</th>
                </tr>
              </thead>
              <tbody>
                {attendance.map((a) => (
                  <tr key={a.id} className="border-b border-slate-100" data-testid="attendance-row">
                    <td className="py-2 pr-4">{a.name}</td>
                    <td className="py-2 pr-4">{a.joined}</td>
                    <td className="py-2 pr-4">{a.left ?? t("attendance.present")}</td>
                    <td className="py-2 pr-4">{a.duration}</td>
                    <td className="py-2">{a.closedBy ? t(`attendance.closedBy.${a.closedBy}`, { defaultValue: a.closedBy }) : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      {isModerator ? (
        <section className="mt-10" aria-labelledby="people">
          <h2 id="people" className="text-lg font-semibold">{t("people.title")}</h2>
          {people.length === 0 ? <p className="mt-2 text-sm text-slate-600">{t("people.none")}</p> : null}
          <ul className="mt-2 space-y-1 text-sm" data-testid="invitee-list">
            {people.map((p) => (
              <li key={p.id}>
                {p.name}
                {p.email ? <span className="text-slate-500"> · {p.email}</span> : null}
                <span className={"ml-2 rounded px-1.5 py-0.5 text-xs " + (p.via === "removed" ? "bg-red-100 text-red-800" : "bg-slate-100")}>
                  {t(`people.${p.via}`)}
                </span>
              </li>
            ))}
          </ul>
          {!over ? (
            <ConformForm form={inviteForm} t={(key) => t(key, { emails: missing })} method="post" className="mt-4 space-y-2" data-testid="invite-form">
              {actionData && "ok" in actionData ? <p role="status" className="text-sm text-emerald-700">{t("people.added", { count: actionData.added })}</p> : null}
              <TextArea label={t("lobby.fieldInvitees")} field={inviteFields.invitees} id="invitees" rows={2} hint={t("lobby.inviteesHint")} />
              <Button type="submit" disabled={busy}>{t("people.invite")}</Button>
            </ConformForm>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
