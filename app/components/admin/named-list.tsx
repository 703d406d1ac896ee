// The editable list shape shared by /admin/skills and /admin/priority-groups: one row per entry
// (fixed code, Chinese and English names, order, plus the page's own columns), each row its own
// form, and a form to add an entry.
// Conform forms (decision 031): a row's errors show at its form in the last cell (its fields are
// in the other cells), the new entry's on its fields.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ConformForm, useConformForm, useReplyFor } from "~/components/ui/conform-form";
import { Button, TextField } from "~/components/ui/forms";
import { DataTable } from "~/components/ui/layout";

export interface NamedRow {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  sortOrder: number;
}

export interface NamedListLabels {
  title: string;
  code: string;
  nameZh: string;
  nameEn: string;
  order: string;
  save: string;
  none: string;
}

const cellInput = "block w-full rounded-md border border-slate-300 px-2 py-1 text-sm";

/** The form id of a row: its inputs sit in table cells and join the row's form by id. */
export const rowFormId = (prefix: string, id: string) => `${prefix}-${id}`;

export function NamedListTable<R extends NamedRow>({
  rows,
  prefix,
  labels,
  extraColumns = [],
  testId,
}: {
  rows: R[];
  prefix: string;
  labels: NamedListLabels;
  extraColumns?: { key: string; header: string; cell: (row: R, formId: string) => ReactNode }[];
  testId?: string;
}) {
  return (
    <div data-testid={testId}>
      <DataTable
        rows={rows}
        rowKey={(r) => r.id}
        empty={labels.none}
        caption={labels.title}
        columns={[
          { key: "code", header: labels.code, cell: (r) => <span className="font-mono">{r.code}</span> },
          { key: "nameZh", header: labels.nameZh, cell: (r) => <input aria-label={`${labels.nameZh} ${r.code}`} form={rowFormId(prefix, r.id)} name="nameZh" defaultValue={r.nameZh} required maxLength={60} className={cellInput} /> },
          { key: "nameEn", header: labels.nameEn, cell: (r) => <input aria-label={`${labels.nameEn} ${r.code}`} form={rowFormId(prefix, r.id)} name="nameEn" defaultValue={r.nameEn} required maxLength={80} className={cellInput} /> },
          { key: "order", header: labels.order, cell: (r) => <input aria-label={`${labels.order} ${r.code}`} form={rowFormId(prefix, r.id)} name="sortOrder" type="number" min={0} max={9999} defaultValue={r.sortOrder} className={cellInput + " w-20"} /> },
          ...extraColumns.map((c) => ({ key: c.key, header: c.header, cell: (r: R) => c.cell(r, rowFormId(prefix, r.id)) })),
          {
            key: "save",
            header: "",
            cell: (r) => <RowForm formId={rowFormId(prefix, r.id)} id={r.id} label={labels.save} />,
          },
        ]}
      />
    </div>
  );
}

function RowForm({ formId, id, label }: { formId: string; id: string; label: string }) {
  const { t } = useTranslation("admin");
  const [form] = useConformForm({ id: formId, lastResult: useReplyFor({ intent: "update", id }) });
  return (
    <ConformForm form={form} t={t} method="post">
      <input type="hidden" name="intent" value="update" />
      <input type="hidden" name="id" value={id} />
      <Button type="submit" variant="secondary" className="px-2 py-1 text-sm">{label}</Button>
    </ConformForm>
  );
}

export function NamedListCreateForm({ codeName, codePattern, labels, addLabel }: { codeName: string; codePattern: string; labels: NamedListLabels; addLabel: string }) {
  const { t } = useTranslation("admin");
  const [form, fields] = useConformForm<Record<string, string>>({ id: "new", lastResult: useReplyFor({ intent: "create" }), defaultValue: { sortOrder: "0" } });
  return (
    <ConformForm form={form} t={t} method="post" className="grid gap-3 sm:grid-cols-5 sm:items-end">
      <input type="hidden" name="intent" value="create" />
      <TextField label={labels.code} field={fields[codeName]} required pattern={codePattern} maxLength={40} />
      <TextField label={labels.nameZh} field={fields.nameZh} required maxLength={60} />
      <TextField label={labels.nameEn} field={fields.nameEn} required maxLength={80} />
      <TextField label={labels.order} field={fields.sortOrder} type="number" min={0} max={9999} />
      <Button type="submit">{addLabel}</Button>
    </ConformForm>
  );
}
