// The kit's page structure: Page (title, lead, actions), Card, EmptyState, DataTable.
import type { ReactNode } from "react";

/** A page's h1 with its lead line and actions (Page uses it; so do headers with tabs). */
export function PageHeading({ title, lead, actions }: { title: string; lead?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div className="min-w-0">
        <h1 className="break-words text-2xl font-bold tracking-tight sm:text-3xl">{title}</h1>
        {lead ? <p className="mt-1 max-w-3xl text-slate-600">{lead}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}

export function Page({ title, lead, children, actions }: { title: string; lead?: ReactNode; children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mx-auto max-w-6xl px-4 py-8 sm:py-10">
      <PageHeading title={title} lead={lead} actions={actions} />
      <div className="mt-6 space-y-6">{children}</div>
    </div>
  );
}

export function Card({ title, children, className = "", id, headingLevel = 2 }: { title?: ReactNode; children: ReactNode; className?: string; id?: string; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? "h2" : "h3";
  return (
    <section id={id} aria-labelledby={title && id ? `${id}-title` : undefined} className={"rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6 " + className}>
      {title ? (
        <H id={id ? `${id}-title` : undefined} className="text-lg font-semibold">
          {title}
        </H>
      ) : null}
      <div className={title ? "mt-3" : ""}>{children}</div>
    </section>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="rounded-lg border border-dashed border-slate-300 bg-slate-50 px-4 py-6 text-center text-sm text-slate-600">{children}</p>;
}

export interface Column<Row> {
  key: string;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  className?: string;
}

/** A table that scrolls sideways on a phone instead of squashing its columns. */
export function DataTable<Row>({ columns, rows, rowKey, caption, empty }: { columns: Column<Row>[]; rows: Row[]; rowKey: (row: Row) => string; caption?: string; empty?: ReactNode }) {
  if (rows.length === 0 && empty) return <EmptyState>{empty}</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={"px-3 py-2 " + (c.className ?? "")}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.key} className={"px-3 py-2 align-top " + (c.className ?? "")}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
