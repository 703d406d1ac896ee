import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Notice } from "~/components/ui/feedback";
import { Button, SelectField, TextField } from "~/components/ui/forms";
import { Card, EmptyState, Page } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { CompetitionError, cohortOptions, createCompetition, testProjectOptions } from "~/domains/assessment/competitions.server";
import { competitionSchema, MAX_COMPETITION_MODULES, moduleRowsSchema } from "~/domains/assessment/validation";
import { firstError } from "~/domains/live/validation";
import { readForm } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "New competition · SkillRelay" }];

const MODULE_ROWS = 4;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "expert", "school_admin");
  const [projects, cohorts] = await Promise.all([testProjectOptions(user), cohortOptions(user)]);
  return { projects, cohorts: cohorts.map((c) => ({ id: c.id, name: c.name, members: c._count.members })), isSchool: user.role === "school_admin", timeZone: user.timeZone };
}

type ActionResult = { error: string; field?: string; params?: Record<string, string | number>; values: Record<string, string>; modules?: Array<{ title: string; minutes: string }> };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "expert", "school_admin");
  const form = await readForm(request);
  const values: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && !k.startsWith("module")) values[k] = v.slice(0, 20_000);
  // What was typed in the module rows comes back with any error, like the other fields.
  const minutes = form.getAll("moduleMinutes").map(String);
  const rows = form.getAll("moduleTitle").map(String).slice(0, MAX_COMPETITION_MODULES).map((title, i) => ({ title: title.slice(0, 120), minutes: (minutes[i] ?? "").slice(0, 6) }));
  const parsed = competitionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const { field, message } = firstError(parsed.error);
    return data<ActionResult>({ error: message, field, values, modules: rows }, { status: 400 });
  }
  const modules = moduleRowsSchema.safeParse(rows);
  if (!modules.success) return data<ActionResult>({ error: modules.error.issues[0]?.message ?? "competitions.errors.moduleTitle", field: "modules", values, modules: rows }, { status: 400 });
  try {
    const competition = await createCompetition(user, parsed.data, modules.data);
    return redirect(`/competitions/${competition.id}`);
  } catch (e) {
    if (e instanceof CompetitionError) return data<ActionResult>({ error: e.key, params: e.params, values }, { status: e.status });
    throw e;
  }
}

export default function NewCompetition() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>() as ActionResult | undefined;
  const nav = useNavigation();
  const { t } = useTranslation("assessment");
  const v = a?.values ?? {};
  const err = (field: string) => (a?.field === field ? t(a.error, a.params) : undefined);
  if (!d.projects.length) {
    return (
      <Page title={t("competitions.newTitle")}>
        <EmptyState>{t("competitions.noProjects")}</EmptyState>
      </Page>
    );
  }
  return (
    <Page title={t("competitions.newTitle")} lead={t("competitions.newLead", { zone: d.timeZone })}>
      {a?.error ? <Notice tone="error">{t(a.error, a.params)}</Notice> : null}
      <Form method="post" className="space-y-4">
        <Card title={t("competitions.form.project")}>
          <div className="grid gap-3">
            <TextField label={t("competitions.form.title")} name="title" required maxLength={120} defaultValue={v.title} error={err("title")} />
            <SelectField label={t("competitions.form.scheme")} name="lessonId" required defaultValue={v.lessonId} hint={t("competitions.form.schemeHint")} error={err("lessonId")}>
              <option value="">{t("competitions.form.choose")}</option>
              {d.projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.course} · {p.title}
                  {p.minMarkers > 1 ? ` (${t("competitions.form.needsMarkers", { count: p.minMarkers })})` : ""}
                </option>
              ))}
            </SelectField>
            <label className="block text-sm font-medium text-slate-700" htmlFor="field-description">{t("competitions.form.description")}</label>
            <textarea id="field-description" name="description" rows={5} maxLength={20000} defaultValue={v.description} className="block w-full rounded-md border border-slate-300 px-3 py-2" />
          </div>
        </Card>
        <Card title={t("competitions.form.modules")}>
          <p className="mb-2 text-sm text-slate-600">{t("competitions.form.modulesHint")}</p>
          {err("modules") ? <p className="mb-2 text-sm text-red-700">{err("modules")}</p> : null}
          <div className="grid gap-2">
            {Array.from({ length: MODULE_ROWS }, (_, i) => (
              <div key={i} className="grid grid-cols-[1fr_7rem] gap-2">
                <input name="moduleTitle" defaultValue={a?.modules?.[i]?.title} aria-label={t("competitions.form.moduleTitle", { n: i + 1 })} placeholder={t("competitions.form.moduleTitle", { n: i + 1 })} maxLength={120} className="rounded-md border border-slate-300 px-3 py-2" />
                <input name="moduleMinutes" defaultValue={a?.modules?.[i]?.minutes} type="number" min={1} max={1440} inputMode="numeric" aria-label={t("competitions.form.moduleMinutes", { n: i + 1 })} placeholder={t("competitions.form.minutes")} className="rounded-md border border-slate-300 px-3 py-2" />
              </div>
            ))}
          </div>
        </Card>
        <Card title={t("competitions.form.window")}>
          <div className="grid gap-3 sm:grid-cols-3">
            <TextField label={t("competitions.form.startsAt")} name="startsAt" type="datetime-local" required defaultValue={v.startsAt} error={err("startsAt")} />
            <TextField label={t("competitions.form.endsAt")} name="endsAt" type="datetime-local" required defaultValue={v.endsAt} error={err("endsAt")} />
            <TextField label={t("competitions.form.releaseAt")} name="releaseAt" type="datetime-local" defaultValue={v.releaseAt} hint={t("competitions.form.releaseAtHint")} error={err("releaseAt")} />
          </div>
        </Card>
        <Card title={t("competitions.form.people")}>
          <div className="grid gap-3">
            <label className="block text-sm font-medium text-slate-700" htmlFor="field-participantEmails">{t("competitions.form.participants")}</label>
            <textarea id="field-participantEmails" name="participantEmails" rows={3} defaultValue={v.participantEmails} placeholder="learner@example.com" className="block w-full rounded-md border border-slate-300 px-3 py-2" />
            <p className="text-sm text-slate-600">{d.isSchool ? t("competitions.form.participantsHintSchool") : t("competitions.form.participantsHint")}</p>
            {d.cohorts.length ? (
              <SelectField label={t("competitions.form.cohort")} name="cohortId" defaultValue={v.cohortId}>
                <option value="">{t("competitions.form.noCohort")}</option>
                {d.cohorts.map((c) => (
                  <option key={c.id} value={c.id}>{t("competitions.form.cohortOption", { name: c.name, count: c.members })}</option>
                ))}
              </SelectField>
            ) : null}
            <label className="block text-sm font-medium text-slate-700" htmlFor="field-markerEmails">{t("competitions.form.markers")}</label>
            <textarea id="field-markerEmails" name="markerEmails" rows={3} required defaultValue={v.markerEmails} placeholder="expert@example.com" className="block w-full rounded-md border border-slate-300 px-3 py-2" />
            <p className="text-sm text-slate-600">{t("competitions.form.markersHint")}</p>
            <TextField label={t("competitions.form.briefing")} name="briefingUrl" defaultValue={v.briefingUrl} hint={t("competitions.form.briefingHint")} error={err("briefingUrl")} maxLength={300} />
          </div>
        </Card>
        <Button type="submit" disabled={nav.state === "submitting"}>{t("competitions.form.create")}</Button>
      </Form>
    </Page>
  );
}
