// A school admin edits and verifies a learner's real-name identity. The ID number is only
// ever shown masked; verified fields are locked (a change needs a reason, and is audited).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Badge, Notice } from "~/components/ui/feedback";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, SelectField, TextField } from "~/components/ui/forms";
import { Card, Page } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { identityPage, saveIdentity, verifyIdentity } from "~/domains/records/learner-identity.server";
import { identitySchema, verifySchema, type IdentityInput, type VerifyInput } from "~/domains/records/validation";
import { DOCUMENTS } from "~/domains/records/options";
import { i18next } from "~/i18next.server";
import { formatDateTime } from "~/utils/datetime";
import { urlId } from "~/utils/input";
import { formErrorReply, parseForm } from "~/utils/forms.server";
import { parseOr400, readForm } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "Identity · School · SkillRelay" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const id = parseOr400(urlId(), params.learnerId, "learner id");
  const [page, locale] = await Promise.all([identityPage(user, id), i18next.getLocale(request)]);
  const i = page.identity;
  return {
    learner: page.learner,
    mayWriteId: page.mayWriteId,
    identity: {
      legalName: i?.legalName ?? "",
      gender: i?.gender ?? null,
      birthDate: i?.birthDate ?? null,
      countyCode: i?.countyCode ?? "",
      countyName: page.county?.name ?? "",
      priorityKeys: i?.priorityKeys ?? [],
      verified: i?.verifiedAt ? { at: formatDateTime(i.verifiedAt, { locale, timeZone: user.timeZone }), by: i.verifiedByName, document: i.verifiedDocument } : null,
    },
    counties: page.counties.map((c) => ({ code: c.code, label: [locale === "en" ? c.nameEn || c.name : c.name, c.province].filter(Boolean).join(" · ") })),
    groups: page.groups.map((g) => ({ key: g.key, name: locale === "en" ? g.nameEn || g.nameZh : g.nameZh })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const id = parseOr400(urlId(), params.learnerId, "learner id");
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "save") {
    const submission = await parseForm(form, identitySchema);
    if (submission.status !== "success") return data(submission.reply({ hideFields: ["idNumber"] }), { status: 400 });
    const result = await saveIdentity(user, id, submission.value);
    if (!("error" in result)) return { ok: "saved" };
    const refused = result.field ? { fieldErrors: { [result.field]: [result.error] } } : { formErrors: [result.error] };
    return data(submission.reply({ ...refused, hideFields: ["idNumber"] }), { status: 400 });
  }
  if (intent === "verify") {
    const submission = await parseForm(form, verifySchema);
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    const result = await verifyIdentity(user, id, submission.value);
    return "error" in result ? data(submission.reply({ formErrors: [result.error] }), { status: 400 }) : { ok: "verified" };
  }
  return data(formErrorReply("errors.intent"), { status: 400 });
}

export default function IdentityPage() {
  const { learner, identity, groups, counties, mayWriteId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("records");
  const locked = !!identity.verified;
  // Two forms on the page: a reply belongs to the one whose intent it carries.
  const replyTo = (intent: string) => (result && "initialValue" in result && result.initialValue?.intent === intent ? result : undefined);
  const [saveForm, saveFields] = useConformForm<IdentityInput>({
    id: "identity-save",
    lastResult: replyTo("save"),
    defaultValue: { legalName: identity.legalName, countyCode: identity.countyCode, priorityKeys: identity.priorityKeys },
  });
  const [verifyForm, verifyFields] = useConformForm<VerifyInput>({ id: "identity-verify", lastResult: replyTo("verify") });
  const priority = saveFields.priorityKeys;
  const picked = new Set([priority.initialValue ?? []].flat());
  return (
    <Page title={t("identity.title", { name: learner.name })} lead={t("identity.lead")}>
      {result && "ok" in result ? <Notice tone="success">{t(`identity.${result.ok}`)}</Notice> : null}
      <Card title={t("identity.status")}>
        {identity.verified ? (
          <p className="text-sm">
            <Badge tone="success">{t("identity.verifiedBadge")}</Badge>{" "}
            {t("identity.verifiedLine", { at: identity.verified.at, by: identity.verified.by, document: identity.verified.document })}
          </p>
        ) : (
          <p className="text-sm"><Badge tone="warning">{t("identity.unverifiedBadge")}</Badge></p>
        )}
        <dl className="mt-3 grid gap-2 text-sm sm:grid-cols-3">
          <div><dt className="text-slate-500">{t("export.idNumber")}</dt><dd>{learner.idMasked || "-"}</dd></div>
          <div><dt className="text-slate-500">{t("export.gender")}</dt><dd>{identity.gender ? t(`gender.${identity.gender}`) : "-"}</dd></div>
          <div><dt className="text-slate-500">{t("identity.birthDate")}</dt><dd>{identity.birthDate ?? "-"}</dd></div>
          <div><dt className="text-slate-500">{t("identity.phone")}</dt><dd>{learner.phoneMasked || "-"}</dd></div>
        </dl>
      </Card>
      <Card title={t("identity.edit")}>
        {locked ? <Notice tone="info">{t("identity.lockedHint")}</Notice> : null}
        <ConformForm form={saveForm} t={t} method="post" className="grid gap-3 sm:grid-cols-2">
          <input type="hidden" name="intent" value="save" />
          <TextField label={t("identity.legalName")} field={saveFields.legalName} required maxLength={60} />
          <TextField label={t("identity.countyCode")} field={saveFields.countyCode} inputMode="numeric" pattern="\d{6}" maxLength={6} list={counties.length ? "county-list" : undefined} hint={identity.countyName || undefined} />
          {counties.length ? (
            <datalist id="county-list">
              {counties.map((c) => (
                <option key={c.code} value={c.code}>{c.label}</option>
              ))}
            </datalist>
          ) : null}
          {mayWriteId ? (
            <TextField label={t("identity.idNumber")} field={saveFields.idNumber} autoComplete="off" maxLength={30} hint={t("identity.idNumberHint")} />
          ) : null}
          <fieldset className="sm:col-span-2" aria-invalid={priority.errors ? true : undefined} aria-describedby={priority.errors ? priority.errorId : undefined}>
            <legend className="text-sm font-medium text-slate-700">{t("export.priority")}</legend>
            {priority.errors ? <p id={priority.errorId} className="text-sm text-red-700">{priority.errors.map((e) => t(e)).join(" ")}</p> : null}
            <div className="mt-2 grid gap-1 sm:grid-cols-2">
              {groups.map((g) => (
                <label key={g.key} className="flex items-center gap-2 text-sm">
                  <input key={priority.key} type="checkbox" name={priority.name} value={g.key} defaultChecked={picked.has(g.key)} /> {g.name}
                </label>
              ))}
            </div>
          </fieldset>
          {locked ? <TextField label={t("identity.reason")} field={saveFields.reason} required maxLength={300} /> : null}
          <div className="sm:col-span-2"><Button type="submit">{t("identity.save")}</Button></div>
        </ConformForm>
      </Card>
      {!locked ? (
        <Card title={t("identity.verify")}>
          <ConformForm form={verifyForm} t={t} method="post" className="grid gap-3 sm:grid-cols-2">
            <input type="hidden" name="intent" value="verify" />
            <SelectField label={t("identity.document")} field={verifyFields.document}>
              {DOCUMENTS.map((d) => (
                <option key={d} value={d}>{t(`document.${d}`)}</option>
              ))}
            </SelectField>
            <TextField label={t("identity.documentRef")} field={verifyFields.documentRef} maxLength={60} hint={t("identity.documentRefHint")} />
            <div className="sm:col-span-2"><Button type="submit">{t("identity.verifyButton")}</Button></div>
          </ConformForm>
        </Card>
      ) : null}
    </Page>
  );
}
