import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Notice } from "~/components/ui/feedback";
import { ExportForm } from "~/components/records/export-form";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, SelectField, TextField } from "~/components/ui/forms";
import { Card, DataTable, Page } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { formatHours, formatYuan } from "~/domains/records/ledger";
import { addCorrection, programmeTotals, rebuildLedger, requireProgrammeAdmin } from "~/domains/records/programmes.server";
import { correctionSchema, type CorrectionInput } from "~/domains/records/validation";
import { formErrorReply, parseForm } from "~/utils/forms.server";
import { parseOr400, readForm } from "~/utils/input.server";
import { urlId } from "~/utils/input";

export const meta: MetaFunction = () => [{ title: "Programme · School · SkillRelay" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const id = parseOr400(urlId(), params.programmeId, "programme id");
  const programme = await requireProgrammeAdmin(user, id);
  const { learners, totals } = await programmeTotals(programme.id);
  return {
    programme: {
      id: programme.id,
      title: programme.title,
      kind: programme.kind,
      occupation: programme.occupation,
      org: programme.org.name,
      // Subsidy claims (the exports) only from a verified organisation.
      verified: programme.org.verifiedAt !== null,
      cohort: programme.cohort.name,
      period: `${programme.startDate} – ${programme.endDate}`,
      startDate: programme.startDate,
      endDate: programme.endDate,
      courses: programme.courses.map((c) => c.course.title),
      rates: { perLearner: formatYuan(programme.subsidyPerLearner), perHour: formatYuan(programme.subsidyPerHour), living: formatYuan(programme.livingPerDay) },
      minMinutesPerDay: programme.minMinutesPerDay,
    },
    learners: learners.map((l) => ({
      userId: l.userId,
      name: l.name,
      lesson: formatHours(l.lesson),
      live: formatHours(l.live),
      assessment: formatHours(l.assessment),
      correction: formatHours(Math.abs(l.correction)),
      correctionSign: l.correction < 0 ? "-" : "",
      total: formatHours(l.total),
      days: l.days,
      subsidy: formatYuan(l.subsidy.total),
    })),
    totals: { total: formatHours(totals.total), days: totals.days, subsidy: formatYuan(totals.subsidy), learners: totals.learners },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const id = parseOr400(urlId(), params.programmeId, "programme id");
  const programme = await requireProgrammeAdmin(user, id);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "rebuild") {
    const appended = await rebuildLedger(programme.id);
    return { ok: "rebuilt" as const, appended };
  }
  if (intent === "correct") {
    const submission = await parseForm(form, correctionSchema);
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    const result = await addCorrection(user, programme.id, submission.value);
    if ("error" in result) return data(submission.reply({ fieldErrors: { userId: [result.error ?? "errors.learner"] } }), { status: 400 });
    return { ok: "corrected" as const };
  }
  return data(formErrorReply("errors.intent"), { status: 400 });
}

export default function ProgrammePage() {
  const { programme, learners, totals } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("records");
  const [form, fields] = useConformForm<CorrectionInput>({ id: "correction", lastResult: result });
  return (
    <Page
      title={programme.title}
      lead={`${programme.org} · ${programme.cohort} · ${programme.period}`}
    >
      {result && "ok" in result ? <Notice tone="success">{t(`programme.${result.ok}`)}</Notice> : null}
      <Card title={t("programme.export")}>
        {programme.verified ? (
          <>
            <Notice tone="warning">{t("programme.fullIdWarning")}</Notice>
            <div className="mt-3">
              <ExportForm programmeId={programme.id} startDate={programme.startDate} endDate={programme.endDate} learners={totals.learners} />
            </div>
          </>
        ) : (
          <div data-testid="programme-unverified"><Notice tone="warning">{t("errors.orgUnverified")}</Notice></div>
        )}
      </Card>
      <Card title={t("programme.details")}>
        <dl className="grid gap-2 text-sm sm:grid-cols-2">
          <div><dt className="text-slate-500">{t("programmes.kind")}</dt><dd>{t(`kind.${programme.kind}`)}</dd></div>
          <div><dt className="text-slate-500">{t("programmes.occupation")}</dt><dd>{programme.occupation || "-"}</dd></div>
          <div><dt className="text-slate-500">{t("programmes.courses")}</dt><dd>{programme.courses.join(", ") || "-"}</dd></div>
          <div><dt className="text-slate-500">{t("programmes.minMinutesPerDay")}</dt><dd>{programme.minMinutesPerDay}</dd></div>
          <div><dt className="text-slate-500">{t("programmes.subsidyPerLearner")}</dt><dd>{programme.rates.perLearner}</dd></div>
          <div><dt className="text-slate-500">{t("programmes.subsidyPerHour")}</dt><dd>{programme.rates.perHour}</dd></div>
          <div><dt className="text-slate-500">{t("programmes.livingPerDay")}</dt><dd>{programme.rates.living}</dd></div>
        </dl>
      </Card>
      <Card title={t("programme.learners", { count: totals.learners })}>
        <Form method="post" className="mb-3">
          <Button type="submit" name="intent" value="rebuild" variant="secondary">{t("programme.rebuild")}</Button>
        </Form>
        <DataTable
          rows={learners}
          rowKey={(l) => l.userId}
          empty={t("programme.noLearners")}
          columns={[
            { key: "name", header: t("export.name"), cell: (l) => <Link className="text-brand-700 hover:underline" to={`/school/learners/${l.userId}/identity`}>{l.name}</Link>, className: "whitespace-nowrap" },
            { key: "lesson", header: t("source.lesson"), cell: (l) => l.lesson },
            { key: "live", header: t("source.live"), cell: (l) => l.live },
            { key: "assessment", header: t("source.assessment"), cell: (l) => l.assessment },
            { key: "correction", header: t("source.correction"), cell: (l) => `${l.correctionSign}${l.correction}` },
            { key: "total", header: t("export.totalHours"), cell: (l) => <strong>{l.total}</strong> },
            { key: "days", header: t("export.daysAttended"), cell: (l) => l.days },
            { key: "subsidy", header: t("export.subsidyTotal"), cell: (l) => l.subsidy },
          ]}
        />
        <p className="mt-3 text-sm text-slate-700">{t("programme.totalsLine", totals)}</p>
      </Card>
      {learners.length ? (
        <Card title={t("programme.correction")}>
          <ConformForm form={form} t={t} method="post" className="grid gap-3 sm:grid-cols-2">
            <input type="hidden" name="intent" value="correct" />
            <SelectField label={t("export.name")} field={fields.userId}>
              {learners.map((l) => (
                <option key={l.userId} value={l.userId}>{l.name}</option>
              ))}
            </SelectField>
            <TextField label={t("programme.day")} field={fields.day} type="date" required />
            <TextField label={t("programme.minutes")} field={fields.minutes} type="number" min={-1440} max={1440} required hint={t("programme.minutesHint")} />
            <TextField label={t("programme.reason")} field={fields.reason} required maxLength={300} />
            <div className="sm:col-span-2"><Button type="submit">{t("programme.addCorrection")}</Button></div>
          </ConformForm>
        </Card>
      ) : null}
    </Page>
  );
}
