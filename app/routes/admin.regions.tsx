// /admin/regions: the county list with its codes and the designated-poverty-county flag;
// edited row by row, one county added, or a CSV imported in two steps (check, then confirm
// the sealed file; a file with any error saves nothing). Platform admins only; audited.
import { data, MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminTabs } from "~/components/admin/ui";
import { Badge, Notice } from "~/components/ui/feedback";
import { Button, Checkbox, ConfirmButton, TextField } from "~/components/ui/forms";
import { ConformForm, useConformForm, useReplyFor } from "~/components/ui/conform-form";
import { asFormErrors, parseForm } from "~/utils/forms.server";
import { Card, DataTable, Page } from "~/components/ui/layout";
import { MAX_REGION_BYTES, MAX_REGION_ROWS } from "~/domains/admin/options";
import { parseRegionFile, type RegionRowError } from "~/domains/admin/regions-csv";
import { applyRegionImport, createRegion, listRegions, planRegionImport, RegionError, updateRegion } from "~/domains/admin/regions.server";
import { requireRole } from "~/domains/auth/session.server";
import { sealUpload, unsealUpload } from "~/domains/schools/sealed-upload.server";
import { badRequest, parseOr400, readForm, searchParamsOf } from "~/utils/input.server";
import { regionFilterSchema, regionFormSchema, type RegionFormInput } from "~/domains/admin/validation";

export const meta: MetaFunction = () => [{ title: "Regions · Administration · SkillRelay" }];


export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { q, poverty } = parseOr400(regionFilterSchema, searchParamsOf(request), "filter");
  const { regions, matching, total } = await listRegions({ q, poverty: poverty === "1" }, 300);
  return { q: q ?? "", poverty: poverty === "1", matching, total, regions: regions.map((r) => ({ code: r.code, name: r.name, nameEn: r.nameEn, province: r.province, poverty: r.povertyCounty })), maxMegabytes: MAX_REGION_BYTES / 1024 / 1024 };
}

type Result =
  | { stage: "saved" | "added"; error?: undefined }
  | { stage: "error"; error: string; code?: string }
  | { stage: "preview"; ok: boolean; fileError: string | null; errors: RegionRowError[]; rows: number; created: number; updated: number; same: number; sealed: string | null; sample: { code: string; name: string; poverty: boolean; isNew: boolean }[] }
  | { stage: "imported"; created: number; updated: number };

const PREVIEW_ROWS = 50;


export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    // Step 1: check the file; nothing is saved.
    let form: FormData;
    try {
      form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_REGION_BYTES }));
    } catch (err) {
      if (err instanceof MaxPartSizeExceededError) return data<Result>({ stage: "error", error: "regions.errors.tooLarge" }, { status: 413 });
      throw badRequest("The form could not be read (malformed body)");
    }
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return data<Result>({ stage: "error", error: "regions.errors.empty" }, { status: 400 });
    const bytes = new Uint8Array(await file.arrayBuffer());
    const parsed = parseRegionFile(bytes);
    if (!parsed.ok) {
      return data<Result>({ stage: "preview", ok: false, fileError: parsed.fileError, errors: parsed.errors.slice(0, 200), rows: parsed.rows.length + parsed.errors.length, created: 0, updated: 0, same: 0, sealed: null, sample: [] }, { status: 400 });
    }
    const plan = await planRegionImport(parsed.rows);
    const sample = [...plan.created.map((r) => ({ ...r, isNew: true })), ...plan.updated.map((r) => ({ ...r, isNew: false }))].slice(0, PREVIEW_ROWS);
    return data<Result>({
      stage: "preview",
      ok: true,
      fileError: null,
      errors: [],
      rows: parsed.rows.length,
      created: plan.created.length,
      updated: plan.updated.length,
      same: plan.same,
      sealed: sealUpload(admin.id, bytes),
      sample: sample.map((r) => ({ code: r.code, name: r.name, poverty: r.povertyCounty, isNew: r.isNew })),
    });
  }

  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "apply") {
    // Step 2: the file the admin checked, sealed for them, applied whole.
    const bytes = unsealUpload(admin.id, String(form.get("sealed") ?? ""));
    if (!bytes) return data<Result>({ stage: "error", error: "regions.expired" }, { status: 400 });
    const parsed = parseRegionFile(bytes);
    if (!parsed.ok) return data<Result>({ stage: "error", error: "regions.errors.file" }, { status: 400 });
    const done = await applyRegionImport(admin, parsed.rows);
    return { stage: "imported" as const, ...done } satisfies Result;
  }
  if (intent !== "update" && intent !== "create") return data<Result>({ stage: "error", error: "regions.errors.bad" }, { status: 400 });
  const submission = await parseForm(form, regionFormSchema, { fallback: "regions.errors.bad" });
  if (submission.status !== "success") {
    // A row's fields sit in the table's cells, outside its form: its errors show at the row's form.
    return data(intent === "update" ? asFormErrors(submission.reply()) : submission.reply(), { status: 400 });
  }
  const { code, ...fields } = submission.value;
  try {
    if (intent === "update") await updateRegion(admin, code, fields);
    else await createRegion(admin, { code, ...fields });
  } catch (err) {
    if (err instanceof RegionError) {
      const key = `regions.errors.${err.code}`;
      return data(submission.reply(err.code === "exists" ? { fieldErrors: { code: [key] } } : { formErrors: [key] }), { status: err.code === "not_found" ? 404 : 409 });
    }
    throw err;
  }
  return { ...submission.reply({ resetForm: true }), stage: intent === "update" ? ("saved" as const) : ("added" as const) };
}

function NewRegionForm() {
  const { t } = useTranslation("admin");
  const [form, fields] = useConformForm<RegionFormInput>({ id: "new", lastResult: useReplyFor({ intent: "create" }) });
  return (
    <ConformForm form={form} t={t} method="post" className="grid gap-3 sm:grid-cols-5 sm:items-end">
      <input type="hidden" name="intent" value="create" />
      <TextField label={t("regions.code")} field={fields.code} required inputMode="numeric" pattern="\d{6}" maxLength={6} />
      <TextField label={t("regions.name")} field={fields.name} required maxLength={60} />
      <TextField label={t("regions.nameEn")} field={fields.nameEn} maxLength={80} />
      <TextField label={t("regions.province")} field={fields.province} maxLength={40} />
      <div className="flex items-center gap-3">
        <Checkbox label={t("regions.povertyShort")} field={fields.poverty} value="1" />
        <Button type="submit">{t("regions.addButton")}</Button>
      </div>
    </ConformForm>
  );
}

/**
 * One row's form in the last cell: its fields sit in the other cells (form="region-<code>"), so
 * the action answers their errors as this form's (a Notice beside the save button).
 */
function RegionRowForm({ code }: { code: string }) {
  const { t } = useTranslation("admin");
  const [form] = useConformForm({ id: `region-${code}`, lastResult: useReplyFor({ intent: "update", code }) });
  return (
    <ConformForm form={form} t={t} method="post">
      <input type="hidden" name="intent" value="update" />
      <input type="hidden" name="code" value={code} />
      <Button type="submit" variant="secondary" className="px-2 py-1 text-sm">{t("regions.save")}</Button>
    </ConformForm>
  );
}

const cellInput = "block w-full rounded-md border border-slate-300 px-2 py-1 text-sm";

export default function AdminRegions() {
  const { t } = useTranslation("admin");
  const { q, poverty, matching, total, regions, maxMegabytes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useNavigation().state === "submitting";
  return (
    <Page title={t("regions.title")} lead={t("regions.lead")}>
      <AdminTabs />
      {result?.stage === "saved" ? <Notice tone="success">{t("regions.saved")}</Notice> : null}
      {result?.stage === "added" ? <Notice tone="success">{t("regions.added")}</Notice> : null}
      {result?.stage === "imported" ? <Notice tone="success">{t("regions.imported", { created: result.created, updated: result.updated })}</Notice> : null}
      {result?.stage === "error" ? <Notice tone="error">{t(result.error, { n: MAX_REGION_ROWS, mb: maxMegabytes })}{result.code ? ` (${result.code})` : ""}</Notice> : null}

      {result?.stage === "preview" ? (
        <Card title={t("regions.previewTitle")}>
          <div data-testid="region-preview" className="space-y-3">
            {result.ok ? (
              <>
                <Notice tone="info">{t("regions.previewOk", { count: result.rows, created: result.created, updated: result.updated, same: result.same })}</Notice>
                {result.sample.length ? (
                  <ul className="divide-y divide-slate-100 text-sm">
                    {result.sample.map((r) => (
                      <li key={r.code} className="flex flex-wrap items-center gap-2 py-1">
                        <span className="font-mono">{r.code}</span> {r.name}
                        {r.poverty ? <Badge tone="warning">{t("regions.povertyShort")}</Badge> : null}
                        <Badge tone={r.isNew ? "success" : "info"}>{r.isNew ? t("regions.isNew") : t("regions.isChanged")}</Badge>
                      </li>
                    ))}
                    {result.created + result.updated > result.sample.length ? <li className="py-1 text-slate-600">{t("regions.more", { n: result.created + result.updated - result.sample.length })}</li> : null}
                  </ul>
                ) : null}
                {result.sealed && result.created + result.updated > 0 ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="apply" />
                    <input type="hidden" name="sealed" value={result.sealed} />
                    <ConfirmButton label={t("regions.confirm", { count: result.created + result.updated })} question={t("regions.confirmQuestion")} confirmLabel={t("regions.confirmYes")} value="apply" />
                  </Form>
                ) : null}
              </>
            ) : (
              <>
                <Notice tone="error">{result.fileError ? t(`regions.errors.${result.fileError}`, { n: MAX_REGION_ROWS, mb: maxMegabytes }) : t("regions.previewErrors", { n: result.errors.length })}</Notice>
                {result.errors.length ? (
                  <DataTable
                    rows={result.errors}
                    rowKey={(e) => `${e.line}-${e.code}`}
                    columns={[
                      { key: "line", header: t("regions.line"), cell: (e) => e.line },
                      { key: "problem", header: t("regions.problem"), cell: (e) => t(`regions.errors.${e.code}`) },
                    ]}
                  />
                ) : null}
              </>
            )}
          </div>
        </Card>
      ) : null}

      <Card title={t("regions.import")}>
        <p className="mb-3 text-sm text-slate-600">{t("regions.importLead")}</p>
        <Form method="post" encType="multipart/form-data" className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="flex-1">
            <label htmlFor="region-file" className="block text-sm font-medium text-slate-700">{t("regions.file", { mb: maxMegabytes })}</label>
            <input id="region-file" name="file" type="file" accept=".csv,text/csv" required className="mt-1 block w-full text-sm" />
          </div>
          <Button type="submit" disabled={busy}>{t("regions.check")}</Button>
        </Form>
      </Card>

      <Card title={t("regions.add")}>
        <NewRegionForm />
      </Card>

      <Card title={t("regions.count", { n: matching, total })}>
        <Form method="get" className="mb-4 flex flex-wrap items-end gap-3">
          <TextField label={t("regions.search")} name="q" id="region-q" defaultValue={q} maxLength={40} />
          <label className="flex items-center gap-2 pb-2 text-sm"><input type="checkbox" name="poverty" value="1" defaultChecked={poverty} /> {t("regions.filterPoverty")}</label>
          <Button type="submit" variant="secondary">{t("regions.apply")}</Button>
        </Form>
        <div data-testid="region-list">
          <DataTable
            rows={regions}
            rowKey={(r) => r.code}
            empty={t("regions.none")}
            caption={t("regions.title")}
            columns={[
              { key: "code", header: t("regions.code"), cell: (r) => <span className="font-mono">{r.code}</span> },
              { key: "name", header: t("regions.name"), cell: (r) => <input aria-label={`${t("regions.name")} ${r.code}`} form={`region-${r.code}`} name="name" defaultValue={r.name} required maxLength={60} className={cellInput} /> },
              { key: "nameEn", header: t("regions.nameEn"), cell: (r) => <input aria-label={`${t("regions.nameEn")} ${r.code}`} form={`region-${r.code}`} name="nameEn" defaultValue={r.nameEn} maxLength={80} className={cellInput} /> },
              { key: "province", header: t("regions.province"), cell: (r) => <input aria-label={`${t("regions.province")} ${r.code}`} form={`region-${r.code}`} name="province" defaultValue={r.province} maxLength={40} className={cellInput} /> },
              {
                key: "poverty",
                header: t("regions.povertyShort"),
                cell: (r) => <input type="checkbox" aria-label={`${t("regions.poverty")} ${r.code}`} form={`region-${r.code}`} name="poverty" value="1" defaultChecked={r.poverty} />,
              },
              {
                key: "save",
                header: "",
                cell: (r) => <RegionRowForm code={r.code} />,
              },
            ]}
          />
        </div>
      </Card>
    </Page>
  );
}
