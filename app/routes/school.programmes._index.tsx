import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, SelectField, TextField } from "~/components/ui/forms";
import { Card, DataTable, EmptyState, Page } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { createProgramme, listProgrammes, programmeChoices } from "~/domains/records/programmes.server";
import { programmeSchema, type ProgrammeInput } from "~/domains/records/validation";
import { parseForm } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Programmes · School · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const [programmes, choices] = await Promise.all([listProgrammes(user), programmeChoices(user)]);
  return {
    programmes: programmes.map((p) => ({ id: p.id, title: p.title, kind: p.kind, org: p.org.name, cohort: p.cohort.name, learners: p.cohort._count.members, period: `${p.startDate} – ${p.endDate}` })),
    cohorts: choices.cohorts.map((c) => ({ id: c.id, label: `${c.org.name} · ${c.name}` })),
    courses: choices.courses,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const submission = await parseForm(request, programmeSchema);
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await createProgramme(user, submission.value);
  if ("error" in result) return data(submission.reply({ fieldErrors: { cohortId: [result.error ?? "errors.cohort"] } }), { status: 400 });
  return redirect(`/school/programmes/${result.programme.id}`);
}

export default function Programmes() {
  const { programmes, cohorts, courses } = useLoaderData<typeof loader>();
  const { t } = useTranslation("records");
  const [form, fields] = useConformForm<ProgrammeInput>({
    id: "programme-new",
    lastResult: useActionData<typeof action>(),
    defaultValue: { subsidyPerLearner: "0", subsidyPerHour: "0", livingPerDay: "0", minMinutesPerDay: "120", lessonMinutes: "10" },
  });
  const picked = new Set([fields.courseIds.initialValue ?? []].flat());
  return (
    <Page title={t("programmes.title")} lead={t("programmes.lead")}>
      <Card title={t("programmes.list")}>
        <DataTable
          rows={programmes}
          rowKey={(p) => p.id}
          empty={t("programmes.none")}
          columns={[
            { key: "title", header: t("programmes.name"), cell: (p) => <Link className="font-medium text-brand-700 hover:underline" to={`/school/programmes/${p.id}`}>{p.title}</Link> },
            { key: "kind", header: t("programmes.kind"), cell: (p) => t(`kind.${p.kind}`) },
            { key: "cohort", header: t("programmes.cohort"), cell: (p) => `${p.org} · ${p.cohort}` },
            { key: "learners", header: t("programmes.learners"), cell: (p) => p.learners },
            { key: "period", header: t("programmes.period"), cell: (p) => p.period },
          ]}
        />
      </Card>
      <Card title={t("programmes.create")}>
        {cohorts.length === 0 ? (
          <EmptyState>{t("programmes.noCohorts")}</EmptyState>
        ) : (
          <ConformForm form={form} t={t} method="post" className="grid gap-4 sm:grid-cols-2">
            <TextField label={t("programmes.name")} field={fields.title} required maxLength={120} />
            <TextField label={t("programmes.occupation")} field={fields.occupation} maxLength={120} />
            <SelectField label={t("programmes.kind")} field={fields.kind}>
              {(["pre_employment", "skills_upgrading", "work_based"] as const).map((k) => (
                <option key={k} value={k}>{t(`kind.${k}`)}</option>
              ))}
            </SelectField>
            <SelectField label={t("programmes.cohort")} field={fields.cohortId}>
              {cohorts.map((c) => (
                <option key={c.id} value={c.id}>{c.label}</option>
              ))}
            </SelectField>
            <TextField label={t("programmes.startDate")} field={fields.startDate} type="date" required />
            <TextField label={t("programmes.endDate")} field={fields.endDate} type="date" required />
            <TextField label={t("programmes.subsidyPerLearner")} field={fields.subsidyPerLearner} inputMode="decimal" />
            <TextField label={t("programmes.subsidyPerHour")} field={fields.subsidyPerHour} inputMode="decimal" />
            <TextField label={t("programmes.livingPerDay")} field={fields.livingPerDay} inputMode="decimal" />
            <TextField label={t("programmes.minMinutesPerDay")} field={fields.minMinutesPerDay} type="number" min={0} max={1440} />
            <TextField label={t("programmes.lessonMinutes")} field={fields.lessonMinutes} type="number" min={0} max={1440} />
            <fieldset className="sm:col-span-2" aria-invalid={fields.courseIds.errors ? true : undefined} aria-describedby={fields.courseIds.errors ? fields.courseIds.errorId : undefined}>
              <legend className="text-sm font-medium text-slate-700">{t("programmes.courses")}</legend>
              {fields.courseIds.errors ? <p id={fields.courseIds.errorId} className="text-sm text-red-700">{fields.courseIds.errors.map((e) => t(e)).join(" ")}</p> : null}
              <div className="mt-2 grid max-h-64 gap-1 overflow-y-auto sm:grid-cols-2">
                {courses.map((c) => (
                  <label key={c.id} className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name={fields.courseIds.name} value={c.id} defaultChecked={picked.has(c.id)} /> {c.title}
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="sm:col-span-2">
              <Button type="submit">{t("programmes.createButton")}</Button>
            </div>
          </ConformForm>
        )}
      </Card>
    </Page>
  );
}
