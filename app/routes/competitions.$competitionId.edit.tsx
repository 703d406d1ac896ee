// /competitions/:id/edit: the creator changes a mock competition (title, description, window,
// release time, briefing; adds competitors and markers) or cancels it. Creator or platform admin
// only (others: 404 / 403 from the domain); nothing changes once results are released.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Notice } from "~/components/ui/feedback";
import { Button, ConfirmButton, SelectField, TextArea, TextField } from "~/components/ui/forms";
import { Card, Page } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { cancelCompetition, CompetitionError, competitionForEdit, cohortOptions, updateCompetition } from "~/domains/assessment/competitions.server";
import { competitionCancelSchema, competitionEditSchema, type CompetitionEditForm } from "~/domains/assessment/validation";
import { i18next } from "~/i18next.server";
import { urlId } from "~/utils/input";
import { parseOr400, readForm } from "~/utils/input.server";
import { parseForm } from "~/utils/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.competition.title} · SkillRelay` : "SkillRelay" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "expert", "school_admin", "admin");
  const id = parseOr400(urlId(), params.competitionId, "competition id");
  const [competition, cohorts] = await Promise.all([competitionForEdit(user, id), cohortOptions(user)]);
  return { competition, cohorts: cohorts.map((c) => ({ id: c.id, name: c.name, members: c._count.members })), timeZone: user.timeZone };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "expert", "school_admin", "admin");
  const id = parseOr400(urlId(), params.competitionId, "competition id");
  const form = await readForm(request);
  const cancelling = form.get("intent") === "cancel";
  const submission = cancelling ? await parseForm(form, competitionCancelSchema, { fallback: "competitions.errors.reasonTooLong" }) : await parseForm(form, competitionEditSchema, { fallback: "competitions.errors.tooLong" });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  try {
    if (cancelling) await cancelCompetition(user, id, (submission.value as { reason: string }).reason);
    else await updateCompetition(user, id, submission.value as CompetitionEditForm);
  } catch (e) {
    if (!(e instanceof CompetitionError)) throw e;
    // Refusals with figures (unknown e-mail addresses) are translated here, where the figures are.
    const t = await i18next.getFixedT(await i18next.getLocale(request), "assessment");
    return data(submission.reply({ formErrors: [Object.keys(e.params).length ? t(e.key, e.params) : e.key] }), { status: e.status });
  }
  return redirect(`/competitions/${id}?${cancelling ? "cancelled" : "saved"}=1`);
}

export default function EditCompetition() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("assessment");
  const busy = useNavigation().state === "submitting";
  const c = d.competition;
  const cancelReply = result && result.initialValue?.intent === "cancel" ? result : undefined;
  const [form, fields] = useConformForm<CompetitionEditForm>({ id: "competition-edit", lastResult: cancelReply ? undefined : result, defaultValue: c.values });
  const [cancelForm, cancelFields] = useConformForm<{ reason: string }>({ id: "competition-cancel", lastResult: cancelReply });
  const locked = c.cancelled || c.released;
  const started = c.phase !== "upcoming";
  const closed = c.phase === "closed";
  return (
    <Page title={t("competitions.editTitle", { title: c.title })} lead={t("competitions.editLead", { zone: d.timeZone })} actions={<Link to={`/competitions/${c.id}`} className="text-brand-700 underline">{t("competitions.backToCompetition")}</Link>}>
      {locked ? (
        <Notice tone="info">{t(c.cancelled ? "competitions.errors.cancelled" : "competitions.errors.alreadyReleased")}</Notice>
      ) : (
        <>
          <ConformForm form={form} t={t} method="post" className="space-y-4" data-testid="competition-edit-form">
            <Card title={t("competitions.form.project")}>
              <div className="grid gap-3">
                <p className="text-sm text-slate-600">{t("competitions.schemeFrom", { project: c.project })}</p>
                <TextField label={t("competitions.form.title")} field={fields.title} required maxLength={120} />
                <TextArea label={t("competitions.form.description")} field={fields.description} rows={5} maxLength={20000} />
              </div>
            </Card>
            <Card title={t("competitions.form.window")}>
              <div className="grid gap-3 sm:grid-cols-3">
                <TextField label={t("competitions.form.startsAt")} field={fields.startsAt} type="datetime-local" required readOnly={started} hint={started ? t("competitions.form.startLocked") : undefined} />
                <TextField label={t("competitions.form.endsAt")} field={fields.endsAt} type="datetime-local" required readOnly={closed} hint={closed ? t("competitions.form.endLocked") : t("competitions.form.endHint")} />
                <TextField label={t("competitions.form.releaseAt")} field={fields.releaseAt} type="datetime-local" hint={t("competitions.form.releaseAtHint")} />
              </div>
            </Card>
            <Card title={t("competitions.form.people")}>
              <div className="grid gap-3">
                <p className="text-sm text-slate-600">{t("competitions.form.peopleNow", { participants: c.participants, markers: c.markers.join(", ") || "—" })}</p>
                {closed ? null : (
                  <>
                    <TextArea label={t("competitions.form.addParticipants")} field={fields.participantEmails} rows={2} placeholder="learner@example.com" hint={t("competitions.form.addHint")} />
                    {d.cohorts.length ? (
                      <SelectField label={t("competitions.form.cohort")} field={fields.cohortId}>
                        <option value="">{t("competitions.form.noCohort")}</option>
                        {d.cohorts.map((o) => (
                          <option key={o.id} value={o.id}>{t("competitions.form.cohortOption", { name: o.name, count: o.members })}</option>
                        ))}
                      </SelectField>
                    ) : null}
                  </>
                )}
                <TextArea label={t("competitions.form.addMarkers")} field={fields.markerEmails} rows={2} placeholder="expert@example.com" />
                <TextField label={t("competitions.form.briefing")} field={fields.briefingUrl} hint={t("competitions.form.briefingHint")} maxLength={300} />
              </div>
            </Card>
            <Button type="submit" disabled={busy}>{t("competitions.form.save")}</Button>
          </ConformForm>

          <Card title={t("competitions.cancelTitle")}>
            <ConformForm form={cancelForm} t={t} method="post" className="space-y-3" data-testid="competition-cancel-form">
              <p className="text-sm text-slate-700">{t("competitions.cancelLead")}</p>
              <TextField label={t("competitions.cancelReason")} field={cancelFields.reason} required maxLength={300} />
              <ConfirmButton label={t("competitions.cancel")} question={t("competitions.cancelQuestion", { title: c.title })} confirmLabel={t("competitions.cancelYes")} value="cancel" />
            </ConformForm>
          </Card>
        </>
      )}
    </Page>
  );
}
