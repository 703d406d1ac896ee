import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { readForm } from "~/utils/input.server";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SchoolHeader } from "~/components/schools/ui";
import { Notice } from "~/components/ui/feedback";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, TextField, selectClass } from "~/components/ui/forms";
import { Card } from "~/components/ui/layout";
import { CopyLink } from "~/components/schools/copy-link";
import { TargetSelect } from "~/components/schools/target-select";
import { requireRole } from "~/domains/auth/session.server";
import { i18next } from "~/i18next.server";
import { schoolOverview } from "~/domains/schools/cohorts.server";
import { listLearners } from "~/domains/schools/learners.server";
import { openJoinRequests } from "~/domains/schools/join-requests.server";
import { inviteLearner, resolveTargetValue } from "~/domains/schools/import.server";
import { invitationUrl, renewInvitation } from "~/domains/schools/invitations.server";
import { formatDate } from "~/utils/datetime";
import type { RowError } from "~/domains/schools/csv";
import { inviteLearnerSchema, type InviteLearnerInput } from "~/domains/schools/validation";
import { parseForm } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Learners · School · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const url = new URL(request.url);
  const query = {
    q: url.searchParams.get("q"),
    orgId: url.searchParams.get("org"),
    cohortId: url.searchParams.get("cohort"),
    page: Math.min(Math.max(Math.trunc(Number(url.searchParams.get("page") ?? 1)) || 1, 1), 10_000),
  };
  const [orgs, list, requests, locale] = await Promise.all([
    schoolOverview(user),
    listLearners(user, query),
    openJoinRequests(user, query.orgId),
    i18next.getLocale(request),
  ]);
  return {
    orgs: orgs.map((o) => ({ id: o.id, name: o.name, cohorts: o.cohorts.map((c) => ({ id: c.id, name: c.name })) })),
    query: { q: query.q ?? "", org: query.orgId ?? "", cohort: query.cohortId ?? "" },
    ...list,
    requests: requests.map((r) => ({ id: r.id, name: r.rowName, contact: r.rowContact, orgName: r.org.name, sent: formatDate(r.createdAt, { locale, timeZone: user.timeZone }) })),
    learners: list.learners.map((l) => ({
      ...l,
      invitation: l.invitation
        ? { ...l.invitation, url: invitationUrl(request, l.invitation.token), expiresLabel: formatDate(l.invitation.expiresAt, { locale, timeZone: user.timeZone }) }
        : null,
    })),
  };
}

type InviteDone = { intent: "invite"; ok: true; name: string; url: string | null; status: string; activated: boolean };
type Renewed = { intent: "renew"; ok: true; learnerId: string; url: string | null };

/** A row check's code as a field's error key; its value (an ID number masked) goes beside the reply. */
function inviteErrors(errors: RowError[]) {
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  const params: Record<string, { value: string; otherLine?: number }> = {};
  for (const e of errors) {
    const key = `rowErrors.${e.code}`;
    params[key] = { value: e.value ?? "", otherLine: e.otherLine };
    if (e.field && e.field !== "cohort") (fieldErrors[e.field] ??= []).push(key);
    else formErrors.push(key);
  }
  return { fieldErrors, formErrors, params };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const form = await readForm(request);
  if (form.get("intent") === "invite") {
    // Where the learner goes is checked first: someone else's organisation or class is a 404.
    const target = await resolveTargetValue(user, form.get("target"));
    const submission = await parseForm(form, inviteLearnerSchema, { fallback: "errors.badRequest" });
    // The ID number is never sent back to the browser.
    if (submission.status !== "success") return data(submission.reply({ hideFields: ["idNumber"] }), { status: 400 });
    const result = await inviteLearner(target, submission.value);
    if (!result.ok) {
      const { fieldErrors, formErrors, params } = inviteErrors(result.errors);
      return data({ ...submission.reply({ fieldErrors, formErrors, hideFields: ["idNumber"] }), params }, { status: 400 });
    }
    const done: InviteDone = {
      intent: "invite",
      ok: true,
      name: result.learner.name,
      url: result.learner.token ? invitationUrl(request, result.learner.token) : null,
      status: result.status,
      activated: !result.learner.token,
    };
    // An emptied form for the next learner.
    return data({ ...submission.reply({ resetForm: true }), ...done });
  }
  if (form.get("intent") === "renew") {
    const str = (k: string) => (typeof form.get(k) === "string" ? String(form.get(k)) : "");
    const inv = await renewInvitation(user, str("orgId"), str("learnerId"));
    return data<Renewed>({ intent: "renew", ok: true, learnerId: str("learnerId"), url: inv ? invitationUrl(request, inv.token) : null });
  }
  throw new Response("Bad request", { status: 400 });
}

function InviteForm() {
  const { t } = useTranslation("schools");
  const { orgs } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const done = actionData && "ok" in actionData && actionData.intent === "invite" ? (actionData as InviteDone) : null;
  const params = actionData && "params" in actionData ? (actionData.params as Record<string, { value: string; otherLine?: number }>) : {};
  const [form, fields] = useConformForm<InviteLearnerInput>({ id: "invite", lastResult: actionData });
  const tr = (key: string) => t(key, params[key] ?? { value: "" });
  return (
    <Card title={t("learners.inviteTitle")} id="invite">
      <p className="-mt-2 mb-4 text-sm text-slate-600">{t("learners.inviteLead")}</p>
      {done ? (
        <div className="mb-4 space-y-2" data-testid="invite-result">
          <Notice tone="success">
            {t(done.status === "request" ? "learners.invitedRequest" : done.activated ? "learners.invitedActive" : done.status === "new" ? "learners.invitedNew" : "learners.invitedExisting", { name: done.name })}
          </Notice>
          {done.url ? <CopyLink url={done.url} label={t("links.linkFor", { name: done.name })} /> : null}
        </div>
      ) : null}
      <ConformForm form={form} t={tr} method="post" className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <input type="hidden" name="intent" value="invite" />
        <TextField label={t("fields.name")} field={fields.name} required maxLength={80} autoComplete="off" />
        <TargetSelect orgs={orgs} label={t("learners.cohort")} field={fields.target} />
        <TextField label={t("fields.phone")} field={fields.phone} type="tel" inputMode="tel" autoComplete="off" hint={t("learners.contactHint")} />
        <TextField label={t("fields.email")} field={fields.email} type="email" autoComplete="off" />
        <TextField label={t("fields.idNumberOptional")} field={fields.idNumber} autoComplete="off" maxLength={24} hint={t("learners.idHint")} />
        <div className="flex items-end">
          <Button type="submit" disabled={busy}>{t("learners.inviteSubmit")}</Button>
        </div>
      </ConformForm>
    </Card>
  );
}

export default function SchoolLearners() {
  const { t } = useTranslation("schools");
  const { orgs, learners, requests, total, page, pageCount, query } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const pageLink = (p: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p));
    return `?${next}`;
  };
  const renewed = actionData && "intent" in actionData && actionData.intent === "renew" ? (actionData as Renewed) : null;
  return (
    <>
      <SchoolHeader title={t("learners.title")} lead={t("learners.lead")} crumbs={[{ to: "/school", label: t("nav.overview") }]} />
      <div className="mx-auto max-w-6xl space-y-6 px-4 py-8">
        {orgs.length === 0 ? <Notice tone="warning">{t("overview.noOrgBody")}</Notice> : <InviteForm />}
        <Card title={t("learners.listTitle", { count: total })} id="list">
          <Form method="get" role="search" className="mb-4 grid grid-cols-1 gap-3 sm:grid-cols-[2fr_1fr_auto] sm:items-end">
            <TextField label={t("learners.search")} name="q" type="search" defaultValue={query.q} placeholder={t("learners.searchPlaceholder")} />
            <div className="space-y-1">
              <label htmlFor="filter-cohort" className="block text-sm font-medium text-slate-700">{t("learners.cohort")}</label>
              <select id="filter-cohort" name="cohort" defaultValue={query.cohort} className={selectClass}>
                <option value="">{t("learners.allCohorts")}</option>
                {orgs.map((o) => (
                  <optgroup key={o.id} label={o.name}>
                    {o.cohorts.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                  </optgroup>
                ))}
              </select>
            </div>
            <Button type="submit" className="bg-slate-700 hover:bg-slate-800">{t("learners.filter")}</Button>
          </Form>
          {learners.length === 0 ? <p className="text-slate-600">{t("learners.none")}</p> : null}
          <ul className="divide-y divide-slate-100" data-testid="learner-list">
            {learners.map((l) => (
              <li key={l.id} className="grid grid-cols-1 gap-2 py-3 sm:grid-cols-[1.2fr_1.2fr_1.6fr] sm:items-center" data-testid="learner">
                <div className="min-w-0">
                  <p className="font-medium">{l.name}</p>
                  <p className="flex flex-wrap gap-1 pt-1">
                    {l.cohorts.map((c) => (
                      <Link key={c.id} to={`/school/cohorts/${c.id}`} className="rounded-full bg-brand-50 px-2 py-0.5 text-xs text-brand-700 hover:underline">{c.name}</Link>
                    ))}
                    {orgs.length > 1 ? l.orgs.map((o) => <span key={o.id} className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600">{o.name}</span>) : null}
                  </p>
                </div>
                <div className="min-w-0 text-sm text-slate-700">
                  {l.phone ? <p><span className="sr-only">{t("fields.phone")}: </span>{l.phone}</p> : null}
                  {l.email ? <p className="truncate"><span className="sr-only">{t("fields.email")}: </span>{l.email}</p> : null}
                  {l.idMasked ? <p className="font-mono text-xs text-slate-500"><span className="sr-only">{t("fields.idNumber")}: </span>{l.idMasked}</p> : null}
                </div>
                <div className="min-w-0 text-sm">
                  {l.activated ? (
                    <span className="inline-flex rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-800">{t("learners.active")}</span>
                  ) : l.invitation && !l.invitation.expired ? (
                    <div className="space-y-1">
                      <p className="text-xs text-amber-800">{t("learners.pendingUntil", { date: l.invitation.expiresLabel })}</p>
                      <CopyLink url={renewed?.learnerId === l.id && renewed.url ? renewed.url : l.invitation.url} label={t("links.linkFor", { name: l.name })} />
                    </div>
                  ) : (
                    <Form method="post" className="flex items-center gap-2">
                      <input type="hidden" name="intent" value="renew" />
                      <input type="hidden" name="learnerId" value={l.id} />
                      <input type="hidden" name="orgId" value={l.invitation?.orgId ?? l.orgs[0]?.id} />
                      <span className="text-xs text-red-700">{t(l.invitation ? "learners.expired" : "learners.noLink")}</span>
                      <button type="submit" className="rounded border border-slate-300 bg-white px-2 py-1 text-xs font-semibold hover:bg-slate-50">{t("learners.renew")}</button>
                    </Form>
                  )}
                </div>
              </li>
            ))}
          </ul>
          {pageCount > 1 ? (
            <nav aria-label={t("learners.pages")} className="mt-4 flex items-center justify-between text-sm">
              {page > 1 ? <Link to={pageLink(page - 1)} className="font-medium text-brand-600 hover:underline">← {t("learners.previous")}</Link> : <span />}
              <span className="text-slate-500">{t("learners.pageOf", { page, pageCount })}</span>
              {page < pageCount ? <Link to={pageLink(page + 1)} className="font-medium text-brand-600 hover:underline">{t("learners.next")} →</Link> : <span />}
            </nav>
          ) : null}
        </Card>
        {requests.length ? (
          <Card title={t("learners.requestsTitle", { count: requests.length })} id="requests">
            <p className="-mt-2 mb-4 text-sm text-slate-600">{t("learners.requestsLead")}</p>
            <ul className="divide-y divide-slate-100" data-testid="join-requests">
              {requests.map((r) => (
                <li key={r.id} className="grid grid-cols-1 gap-1 py-2 text-sm sm:grid-cols-[1.2fr_1.2fr_1fr]">
                  <p className="font-medium">{r.name}</p>
                  <p className="text-slate-700">{r.contact}</p>
                  <p className="text-slate-500">{orgs.length > 1 ? `${r.orgName} · ` : ""}{t("learners.requestSent", { date: r.sent })}</p>
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
      </div>
    </>
  );
}
