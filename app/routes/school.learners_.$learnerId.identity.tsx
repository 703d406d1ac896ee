// A school admin edits and verifies a learner's real-name identity. The ID number is only
// ever shown masked; verified fields are locked (a change needs a reason, and is audited).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Badge, Notice } from "~/components/ui/feedback";
import { Button, SelectField, TextField } from "~/components/ui/forms";
import { Card, Page } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { identityPage, saveIdentity, verifyIdentity } from "~/domains/records/learner-identity.server";
import { identitySchema, verifySchema } from "~/domains/records/validation";
import { DOCUMENTS } from "~/domains/records/options";
import { i18next } from "~/i18next.server";
import { formatDateTime } from "~/utils/datetime";
import { urlId } from "~/utils/input";
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
    groups: page.groups.map((g) => ({ key: g.key, name: locale === "en" ? g.nameEn || g.nameZh : g.nameZh })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const id = parseOr400(urlId(), params.learnerId, "learner id");
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "save") {
    const parsed = identitySchema.safeParse({ ...Object.fromEntries(form), priorityKeys: form.getAll("priorityKeys") });
    if (!parsed.success) return data({ field: String(parsed.error.issues[0].path[0] ?? ""), error: parsed.error.issues[0].message }, { status: 400 });
    const result = await saveIdentity(user, id, parsed.data);
    return "error" in result ? data(result, { status: 400 }) : { ok: "saved" };
  }
  if (intent === "verify") {
    const parsed = verifySchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return data({ field: String(parsed.error.issues[0].path[0] ?? ""), error: parsed.error.issues[0].message }, { status: 400 });
    const result = await verifyIdentity(user, id, parsed.data);
    return "error" in result ? data(result, { status: 400 }) : { ok: "verified" };
  }
  return data({ error: "errors.intent", field: "" }, { status: 400 });
}

export default function IdentityPage() {
  const { learner, identity, groups, mayWriteId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: string; error?: string; field?: string } | undefined;
  const { t } = useTranslation("records");
  const locked = !!identity.verified;
  const err = (f: string) => (result?.error && result.field === f ? t(result.error) : undefined);
  return (
    <Page title={t("identity.title", { name: learner.name })} lead={t("identity.lead")}>
      {result?.ok ? <Notice tone="success">{t(`identity.${result.ok}`)}</Notice> : null}
      {result?.error && !err(result.field ?? "") ? <Notice tone="error">{t(result.error)}</Notice> : null}
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
        </dl>
      </Card>
      <Card title={t("identity.edit")}>
        {locked ? <Notice tone="info">{t("identity.lockedHint")}</Notice> : null}
        <Form method="post" className="grid gap-3 sm:grid-cols-2">
          <input type="hidden" name="intent" value="save" />
          <TextField label={t("identity.legalName")} name="legalName" defaultValue={identity.legalName} required maxLength={60} error={err("legalName")} />
          <TextField label={t("identity.countyCode")} name="countyCode" defaultValue={identity.countyCode} inputMode="numeric" pattern="\d{6}" maxLength={6} hint={identity.countyName || undefined} error={err("countyCode")} />
          {mayWriteId ? (
            <TextField label={t("identity.idNumber")} name="idNumber" autoComplete="off" maxLength={30} hint={t("identity.idNumberHint")} error={err("idNumber")} />
          ) : null}
          <fieldset className="sm:col-span-2">
            <legend className="text-sm font-medium text-slate-700">{t("export.priority")}</legend>
            {err("priorityKeys") ? <p className="text-sm text-red-700">{err("priorityKeys")}</p> : null}
            <div className="mt-2 grid gap-1 sm:grid-cols-2">
              {groups.map((g) => (
                <label key={g.key} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="priorityKeys" value={g.key} defaultChecked={identity.priorityKeys.includes(g.key)} /> {g.name}
                </label>
              ))}
            </div>
          </fieldset>
          {locked ? <TextField label={t("identity.reason")} name="reason" required maxLength={300} error={err("reason")} /> : null}
          <div className="sm:col-span-2"><Button type="submit">{t("identity.save")}</Button></div>
        </Form>
      </Card>
      {!locked ? (
        <Card title={t("identity.verify")}>
          <Form method="post" className="grid gap-3 sm:grid-cols-2">
            <input type="hidden" name="intent" value="verify" />
            <SelectField label={t("identity.document")} name="document" error={err("document")}>
              {DOCUMENTS.map((d) => (
                <option key={d} value={d}>{t(`document.${d}`)}</option>
              ))}
            </SelectField>
            <TextField label={t("identity.documentRef")} name="documentRef" maxLength={60} hint={t("identity.documentRefHint")} error={err("documentRef")} />
            <div className="sm:col-span-2"><Button type="submit">{t("identity.verifyButton")}</Button></div>
          </Form>
        </Card>
      ) : null}
    </Page>
  );
}
