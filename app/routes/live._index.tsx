import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, SelectField, TextArea, TextField } from "~/components/ui/forms";
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
import { instantSessionSchema, type InstantSessionInput } from "~/domains/live/validation";
import { DURATIONS } from "~/domains/live/options";
import { parseForm } from "~/utils/forms.server";
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
  const form = await readForm(request);
  // An empty capacity means "as many as invited" (the schema's default).
  if (form.get("capacity") === "") form.delete("capacity");
  const submission = await parseForm(form, instantSessionSchema, { fallback: "errors.invalid" });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  try {
    const session = await createInstantSession(user.id, submission.value);
    throw redirect(`/live/${session.id}`);
  } catch (error) {
    if (error instanceof UnknownInviteesError) {
      // `missing` fills the message's {{emails}}.
      return data({ ...submission.reply({ fieldErrors: { invitees: ["errors.unknownInvitees"] } }), missing: error.emails }, { status: 400 });
    }
    throw error;
  }
}

export default function LiveLobby() {
  const { t } = useTranslation("live");
  const { canHost, sessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useConformForm<InstantSessionInput>({ id: "instant", lastResult: actionData, defaultValue: { durationMinutes: "60" } });
  const missing = actionData && "missing" in actionData && Array.isArray(actionData.missing) ? actionData.missing.join(", ") : "";
  const tr = (key: string) => t(key, { emails: missing });
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
          <ConformForm form={form} t={tr} method="post" className="mt-4 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="instant-form">
            <TextField label={t("lobby.fieldTitle")} field={fields.title} id="field-title" required maxLength={120} />
            <TextArea label={t("lobby.fieldInvitees")} field={fields.invitees} id="field-invitees" rows={3} hint={t("lobby.inviteesHint")} />
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField label={t("lobby.fieldCapacity")} field={fields.capacity} id="field-capacity" type="number" min={1} max={50} hint={t("lobby.capacityHint")} />
              <SelectField label={t("lobby.fieldDuration")} field={fields.durationMinutes} id="field-duration">
                {DURATIONS.map((d) => (
                  <option key={d} value={d}>{t("lobby.minutes", { count: d })}</option>
                ))}
              </SelectField>
            </div>
            <Button type="submit" disabled={busy}>{t("lobby.start")}</Button>
          </ConformForm>
        </section>
      ) : null}
    </div>
  );
}
