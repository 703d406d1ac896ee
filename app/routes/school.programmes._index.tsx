import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Notice } from "~/components/ui/feedback";
import { Button, SelectField, TextField } from "~/components/ui/forms";
import { Card, DataTable, EmptyState, Page } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { createProgramme, listProgrammes, programmeChoices } from "~/domains/records/programmes.server";
import { programmeSchema } from "~/domains/records/validation";
import { readForm } from "~/utils/input.server";

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
  const form = await readForm(request);
  const parsed = programmeSchema.safeParse({ ...Object.fromEntries(form), courseIds: form.getAll("courseIds") });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return data({ field: String(issue.path[0] ?? ""), error: issue.message }, { status: 400 });
  }
  const result = await createProgramme(user, parsed.data);
  if ("error" in result) return data({ field: "cohortId", error: result.error }, { status: 400 });
  return redirect(`/school/programmes/${result.programme.id}`);
}

export default function Programmes() {
  const { programmes, cohorts, courses } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("records");
  const err = (field: string) => (result && result.field === field ? t(String(result.error)) : undefined);
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
          <Form method="post" className="grid gap-4 sm:grid-cols-2">
            {result?.error && !result.field ? <Notice tone="error">{t(String(result.error))}</Notice> : null}
            <TextField label={t("programmes.name")} name="title" required maxLength={120} error={err("title")} />
            <TextField label={t("programmes.occupation")} name="occupation" maxLength={120} error={err("occupation")} />
            <SelectField label={t("programmes.kind")} name="kind" error={err("kind")}>
              {(["pre_employment", "skills_upgrading", "work_based"] as const).map((k) => (
                <option key={k} value={k}>{t(`kind.${k}`)}</option>
              ))}
            </SelectField>
            <SelectField label={t("programmes.cohort")} name="cohortId" error={err("cohortId")}>
              {cohorts.map((c) => (
                <option key={c.id} value={c.id}>{c.label}</option>
              ))}
            </SelectField>
            <TextField label={t("programmes.startDate")} name="startDate" type="date" required error={err("startDate")} />
            <TextField label={t("programmes.endDate")} name="endDate" type="date" required error={err("endDate")} />
            <TextField label={t("programmes.subsidyPerLearner")} name="subsidyPerLearner" inputMode="decimal" defaultValue="0" error={err("subsidyPerLearner")} />
            <TextField label={t("programmes.subsidyPerHour")} name="subsidyPerHour" inputMode="decimal" defaultValue="0" error={err("subsidyPerHour")} />
            <TextField label={t("programmes.livingPerDay")} name="livingPerDay" inputMode="decimal" defaultValue="0" error={err("livingPerDay")} />
            <TextField label={t("programmes.minMinutesPerDay")} name="minMinutesPerDay" type="number" min={0} max={1440} defaultValue="120" error={err("minMinutesPerDay")} />
            <TextField label={t("programmes.lessonMinutes")} name="lessonMinutes" type="number" min={0} max={1440} defaultValue="10" error={err("lessonMinutes")} />
            <fieldset className="sm:col-span-2">
              <legend className="text-sm font-medium text-slate-700">{t("programmes.courses")}</legend>
              {err("courseIds") ? <p className="text-sm text-red-700">{err("courseIds")}</p> : null}
              <div className="mt-2 grid max-h-64 gap-1 overflow-y-auto sm:grid-cols-2">
                {courses.map((c) => (
                  <label key={c.id} className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="courseIds" value={c.id} /> {c.title}
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="sm:col-span-2">
              <Button type="submit">{t("programmes.createButton")}</Button>
            </div>
          </Form>
        )}
      </Card>
    </Page>
  );
}
