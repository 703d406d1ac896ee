import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, SelectField, TextArea, TextField } from "~/components/ui/forms";
import { Card, EmptyState, Page } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { CompetitionError, cohortOptions, createCompetition, testProjectOptions } from "~/domains/assessment/competitions.server";
import { competitionSchema, MAX_COMPETITION_MODULES, moduleRowsSchema, type CompetitionForm } from "~/domains/assessment/validation";
import { parseForm } from "~/utils/forms.server";
import { readForm } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "New competition · SkillRelay" }];

const MODULE_ROWS = 4;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "expert", "school_admin");
  const [projects, cohorts] = await Promise.all([testProjectOptions(user), cohortOptions(user)]);
  return { projects, cohorts: cohorts.map((c) => ({ id: c.id, name: c.name, members: c._count.members })), isSchool: user.role === "school_admin", timeZone: user.timeZone };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "expert", "school_admin");
  const form = await readForm(request);
  const submission = await parseForm(form, competitionSchema, { fallback: "errors.invalid" });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  // The module rows (moduleTitle[] + moduleMinutes[]); what was typed in them comes back in the reply.
  const minutes = form.getAll("moduleMinutes").map(String);
  const rows = form.getAll("moduleTitle").map(String).slice(0, MAX_COMPETITION_MODULES).map((title, i) => ({ title, minutes: minutes[i] ?? "" }));
  const modules = moduleRowsSchema.safeParse(rows);
  if (!modules.success) return data(submission.reply({ fieldErrors: { modules: [modules.error.issues[0]?.message ?? "competitions.errors.moduleTitle"] } }), { status: 400 });
  try {
    const competition = await createCompetition(user, submission.value, modules.data);
    return redirect(`/competitions/${competition.id}`);
  } catch (e) {
    if (e instanceof CompetitionError) return data({ ...submission.reply({ formErrors: [e.key] }), params: e.params }, { status: e.status });
    throw e;
  }
}

export default function NewCompetition() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [form, fields] = useConformForm<CompetitionForm & { modules: string; moduleTitle: string[]; moduleMinutes: string[] }>({ id: "competition", lastResult: a });
  const nav = useNavigation();
  const { t } = useTranslation("assessment");
  const params = (a && "params" in a ? a.params : undefined) as Record<string, string | number> | undefined;
  const tr = (key: string) => t(key, params);
  const typed = (values: unknown, i: number) => (Array.isArray(values) ? (values[i] ?? undefined) : i === 0 && typeof values === "string" ? values : undefined);
  if (!d.projects.length) {
    return (
      <Page title={t("competitions.newTitle")}>
        <EmptyState>{t("competitions.noProjects")}</EmptyState>
      </Page>
    );
  }
  return (
    <Page title={t("competitions.newTitle")} lead={t("competitions.newLead", { zone: d.timeZone })}>
      <ConformForm form={form} t={tr} method="post" className="space-y-4">
        <Card title={t("competitions.form.project")}>
          <div className="grid gap-3">
            <TextField label={t("competitions.form.title")} field={fields.title} required maxLength={120} />
            <SelectField label={t("competitions.form.scheme")} field={fields.lessonId} required hint={t("competitions.form.schemeHint")}>
              <option value="">{t("competitions.form.choose")}</option>
              {d.projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.course} · {p.title}
                  {p.minMarkers > 1 ? ` (${t("competitions.form.needsMarkers", { count: p.minMarkers })})` : ""}
                </option>
              ))}
            </SelectField>
            <TextArea label={t("competitions.form.description")} field={fields.description} rows={5} maxLength={20000} />
          </div>
        </Card>
        <Card title={t("competitions.form.modules")}>
          <p className="mb-2 text-sm text-slate-600">{t("competitions.form.modulesHint")}</p>
          {fields.modules.errors ? <p id={fields.modules.errorId} role="alert" className="mb-2 text-sm text-red-700">{fields.modules.errors.map(tr).join(" ")}</p> : null}
          <div className="grid gap-2">
            {Array.from({ length: MODULE_ROWS }, (_, i) => (
              <div key={i} className="grid grid-cols-[1fr_7rem] gap-2">
                <input name="moduleTitle" defaultValue={typed(fields.moduleTitle.initialValue, i)} aria-label={t("competitions.form.moduleTitle", { n: i + 1 })} placeholder={t("competitions.form.moduleTitle", { n: i + 1 })} maxLength={120} className="rounded-md border border-slate-300 px-3 py-2" />
                <input name="moduleMinutes" defaultValue={typed(fields.moduleMinutes.initialValue, i)} type="number" min={1} max={1440} inputMode="numeric" aria-label={t("competitions.form.moduleMinutes", { n: i + 1 })} placeholder={t("competitions.form.minutes")} className="rounded-md border border-slate-300 px-3 py-2" />
              </div>
            ))}
          </div>
        </Card>
        <Card title={t("competitions.form.window")}>
          <div className="grid gap-3 sm:grid-cols-3">
            <TextField label={t("competitions.form.startsAt")} field={fields.startsAt} type="datetime-local" required />
            <TextField label={t("competitions.form.endsAt")} field={fields.endsAt} type="datetime-local" required />
            <TextField label={t("competitions.form.releaseAt")} field={fields.releaseAt} type="datetime-local" hint={t("competitions.form.releaseAtHint")} />
          </div>
        </Card>
        <Card title={t("competitions.form.people")}>
          <div className="grid gap-3">
            <TextArea label={t("competitions.form.participants")} field={fields.participantEmails} rows={3} placeholder="learner@example.com" hint={d.isSchool ? t("competitions.form.participantsHintSchool") : t("competitions.form.participantsHint")} />
            {d.cohorts.length ? (
              <SelectField label={t("competitions.form.cohort")} field={fields.cohortId}>
                <option value="">{t("competitions.form.noCohort")}</option>
                {d.cohorts.map((c) => (
                  <option key={c.id} value={c.id}>{t("competitions.form.cohortOption", { name: c.name, count: c.members })}</option>
                ))}
              </SelectField>
            ) : null}
            <TextArea label={t("competitions.form.markers")} field={fields.markerEmails} rows={3} required placeholder="expert@example.com" hint={t("competitions.form.markersHint")} />
            <TextField label={t("competitions.form.briefing")} field={fields.briefingUrl} hint={t("competitions.form.briefingHint")} maxLength={300} />
          </div>
        </Card>
        <Button type="submit" disabled={nav.state === "submitting"}>{t("competitions.form.create")}</Button>
      </ConformForm>
    </Page>
  );
}
