import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Notice } from "~/components/ui/feedback";
import { Button, TextField } from "~/components/ui/forms";
import { hasRole } from "~/domains/auth/roles";
import { requireRole, requireUser } from "~/domains/auth/session.server";
import { JOIN_EARLY_MS } from "~/domains/live/access";
import { formatDateTime } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";
import {
  UnknownInviteesError,
  createInstantSession,
  listUpcomingSessions,
} from "~/domains/live/sessions.server";
import { firstError, instantSessionSchema } from "~/domains/live/validation";
import { DURATIONS } from "~/domains/live/options";
import { readForm } from "~/utils/input.server";

export const handle = { i18n: "live" };

export const meta: MetaFunction = () => [{ title: "Live sessions · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [sessions, dates] = await Promise.all([listUpcomingSessions(user), dateOptions(request, user)]);
  const now = Date.now();
  return {
    canHost: hasRole(user, "expert"),
    sessions: sessions.map((s) => ({
      id: s.id,
      title: s.title,
      status: s.status,
      hostName: s.host.name,
      isHost: s.hostId === user.id,
      when: formatDateTime(s.startsAt, dates),
      joinable: s.hostId === user.id || s.status === "live" || s.startsAt.getTime() - JOIN_EARLY_MS <= now || user.role === "admin",
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "expert");
  const form = Object.fromEntries(await readForm(request));
  const values = {
    title: String(form.title ?? ""),
    invitees: String(form.invitees ?? ""),
    capacity: String(form.capacity ?? ""),
    durationMinutes: String(form.durationMinutes ?? "60"),
  };
  const parsed = instantSessionSchema.safeParse({ ...form, capacity: values.capacity === "" ? undefined : values.capacity });
  if (!parsed.success) {
    const { field, message } = firstError(parsed.error);
    return data({ field, error: message, missing: [] as string[], values }, { status: 400 });
  }
  try {
    const session = await createInstantSession(user.id, parsed.data);
    throw redirect(`/live/${session.id}`);
  } catch (error) {
    if (error instanceof UnknownInviteesError) {
      return data({ field: "invitees", error: "errors.unknownInvitees", missing: error.emails, values }, { status: 400 });
    }
    throw error;
  }
}

export default function LiveLobby() {
  const { t } = useTranslation("live");
  const { canHost, sessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errorFor = (field: string) =>
    actionData?.field === field ? t(actionData.error, { emails: actionData.missing.join(", ") }) : undefined;
  return (
    <div className="mx-auto max-w-4xl px-4 py-10">
      <h1 className="text-2xl font-bold">{t("lobby.title")}</h1>
      <p className="mt-2 text-slate-600">{t("lobby.lead")}</p>

      <section className="mt-8" aria-labelledby="upcoming">
        <h2 id="upcoming" className="text-lg font-semibold">{t("lobby.upcoming")}</h2>
        {sessions.length === 0 ? (
          <p className="mt-3 rounded-xl border border-dashed border-slate-300 bg-white p-6 text-slate-600" data-testid="no-sessions">
            {t("lobby.none")}
          </p>
        ) : (
          <ul className="mt-3 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-sm" data-testid="session-list">
            {sessions.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center justify-between gap-3 p-4" data-testid="session-item">
                <div className="min-w-0">
                  <Link to={`/sessions/${s.id}`} className="font-semibold hover:underline">{s.title}</Link>
                  <p className="text-sm text-slate-600">
                    {s.when} · {s.isHost ? t("lobby.youHost") : t("lobby.hostedBy", { name: s.hostName })}
                    {s.status === "live" ? <span className="ml-2 rounded bg-red-600 px-1.5 py-0.5 text-xs font-semibold text-white">{t("status.live")}</span> : null}
                  </p>
                </div>
                {s.joinable ? (
                  <Link to={`/live/${s.id}`} className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
                    {t("join")}
                  </Link>
                ) : (
                  <Link to={`/sessions/${s.id}`} className="rounded-md border border-slate-300 px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100">
                    {t("lobby.details")}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      {canHost ? (
        <section className="mt-10" aria-labelledby="instant">
          <h2 id="instant" className="text-lg font-semibold">{t("lobby.instantTitle")}</h2>
          <p className="mt-1 text-sm text-slate-600">{t("lobby.instantLead")}</p>
          <Form method="post" className="mt-4 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="instant-form">
            {actionData?.field === "form" ? <Notice tone="error">{t(actionData.error)}</Notice> : null}
            <TextField
              label={t("lobby.fieldTitle")}
              name="title"
              required
              maxLength={120}
              defaultValue={actionData?.values.title}
              error={errorFor("title")}
            />
            <div className="space-y-1">
              <label htmlFor="field-invitees" className="block text-sm font-medium text-slate-700">{t("lobby.fieldInvitees")}</label>
              <textarea
                id="field-invitees"
                name="invitees"
                rows={3}
                aria-describedby="field-invitees-hint"
                aria-invalid={errorFor("invitees") ? true : undefined}
                defaultValue={actionData?.values.invitees}
                className="block w-full rounded-md border border-slate-300 px-3 py-2 text-base shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/40"
              />
              <p id="field-invitees-hint" className="text-xs text-slate-500">{t("lobby.inviteesHint")}</p>
              {errorFor("invitees") ? <p role="alert" className="text-sm text-red-600">{errorFor("invitees")}</p> : null}
            </div>
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                label={t("lobby.fieldCapacity")}
                name="capacity"
                type="number"
                min={1}
                max={50}
                hint={t("lobby.capacityHint")}
                defaultValue={actionData?.values.capacity}
                error={errorFor("capacity")}
              />
              <div className="space-y-1">
                <label htmlFor="field-duration" className="block text-sm font-medium text-slate-700">{t("lobby.fieldDuration")}</label>
                <select
                  id="field-duration"
                  name="durationMinutes"
                  defaultValue={actionData?.values.durationMinutes ?? "60"}
                  className="block w-full rounded-md border border-slate-300 px-3 py-2 text-base shadow-sm"
                >
                  {DURATIONS.map((d) => (
                    <option key={d} value={d}>{t("lobby.minutes", { count: d })}</option>
                  ))}
                </select>
              </div>
            </div>
            <Button type="submit" disabled={busy}>{t("lobby.start")}</Button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
