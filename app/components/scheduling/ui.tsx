// Building blocks of the scheduling pages (Tailwind, server-rendered, keyboard friendly).
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export function Page({ title, lead, children, actions }: { title: string; lead?: ReactNode; children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mx-auto max-w-6xl px-4 py-8 sm:py-10">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{title}</h1>
          {lead ? <p className="mt-1 max-w-3xl text-slate-600">{lead}</p> : null}
        </div>
        {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
      </div>
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

export function Banner({ kind = "info", children }: { kind?: "info" | "success" | "error" | "warning"; children: ReactNode }) {
  const styles = {
    info: "border-sky-200 bg-sky-50 text-sky-900",
    success: "border-emerald-200 bg-emerald-50 text-emerald-900",
    error: "border-red-200 bg-red-50 text-red-800",
    warning: "border-amber-200 bg-amber-50 text-amber-900",
  }[kind];
  return (
    <div role={kind === "error" ? "alert" : "status"} className={`rounded-lg border px-4 py-3 text-sm ${styles}`}>
      {children}
    </div>
  );
}

export function SelectField({
  label,
  name,
  children,
  hint,
  error,
  ...rest
}: { label: string; name: string; hint?: string; error?: string; children: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = rest.id ?? `field-${name}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        className={
          "block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/40 " +
          (error ? "border-red-500" : "border-slate-300")
        }
        {...rest}
      >
        {children}
      </select>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export interface ZoneOptionView {
  value: string;
  offset: string;
}

export function ZoneOptions({ zones }: { zones: ZoneOptionView[] }) {
  const { t } = useTranslation("scheduling");
  return (
    <>
      {zones.map((z) => (
        <option key={z.value} value={z.value}>
          {`${t(`zones.${z.value}`, { defaultValue: z.value.replace(/_/g, " ") })} (${z.offset})`}
        </option>
      ))}
    </>
  );
}

/** A small form that changes the viewer's own time zone and comes back to the same page. */
export function TimeZoneForm({ current, zones, action, compact = false }: { current: string; zones: ZoneOptionView[]; action?: string; compact?: boolean }) {
  const { t } = useTranslation("scheduling");
  return (
    <Form method="post" action={action} className={compact ? "flex flex-wrap items-end gap-2" : "flex flex-wrap items-end gap-3"}>
      <input type="hidden" name="intent" value="timezone" />
      <div className="min-w-[14rem] flex-1">
        <SelectField label={t("tz.yours")} name="timeZone" id={`tz-${action ?? "here"}`} defaultValue={current}>
          <ZoneOptions zones={zones} />
        </SelectField>
      </div>
      <button type="submit" className="rounded-md border border-brand-600 px-4 py-2 font-semibold text-brand-700 hover:bg-brand-50">
        {t("tz.save")}
      </button>
    </Form>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("scheduling");
  const style =
    {
      confirmed: "bg-emerald-100 text-emerald-800",
      scheduled: "bg-emerald-100 text-emerald-800",
      live: "bg-red-100 text-red-700",
      cancelled: "bg-slate-200 text-slate-700 line-through",
      ended: "bg-slate-100 text-slate-600",
    }[status] ?? "bg-slate-100 text-slate-700";
  return <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold ${style}`}>{t(`status.${status}`)}</span>;
}

export function ButtonLink({ to, children, variant = "primary", reloadDocument }: { to: string; children: ReactNode; variant?: "primary" | "secondary"; reloadDocument?: boolean }) {
  const cls =
    variant === "primary"
      ? "inline-flex items-center justify-center rounded-md bg-brand-600 px-4 py-2 font-semibold text-white shadow-sm hover:bg-brand-700"
      : "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-700 hover:bg-slate-50";
  return (
    <Link to={to} className={cls} reloadDocument={reloadDocument}>
      {children}
    </Link>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="rounded-lg border border-dashed border-slate-300 bg-slate-50 px-4 py-6 text-center text-sm text-slate-600">{children}</p>;
}

/** A labelled input whose id can be set (several forms on one page share field names). */
export function InputField({
  label,
  name,
  id,
  error,
  hint,
  ...input
}: { label: string; name: string; id?: string; error?: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const fieldId = id ?? `field-${name}`;
  const describedBy = [hint ? `${fieldId}-hint` : null, error ? `${fieldId}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={fieldId} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={fieldId}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={
          "block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/40 " +
          (error ? "border-red-500" : "border-slate-300")
        }
        {...input}
      />
      {hint ? (
        <p id={`${fieldId}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${fieldId}-error`} role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
