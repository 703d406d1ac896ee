// The kit's form pieces: TextField, SelectField, Button, ButtonLink, ConfirmButton. Errors
// arrive already translated (domains return translation keys; the route calls t()).
import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { Link } from "@remix-run/react";

const control = "block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/40 ";
export const selectClass = control + "border-slate-300";

function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
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

const describedBy = (id: string, hint?: string, error?: string) => [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;

/** A labelled input; set `id` when several forms on one page share field names. */
export function TextField({ label, name, id, error, hint, ...input }: { label: string; name: string; id?: string; error?: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const fieldId = id ?? `field-${name}`;
  return (
    <Field id={fieldId} label={label} hint={hint} error={error}>
      <input
        id={fieldId}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
        className={control + (error ? "border-red-500" : "border-slate-300")}
        {...input}
      />
    </Field>
  );
}

export function SelectField({
  label,
  name,
  id,
  children,
  hint,
  error,
  ...rest
}: { label: string; name: string; id?: string; hint?: string; error?: string; children: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>) {
  const fieldId = id ?? `field-${name}`;
  return (
    <Field id={fieldId} label={label} hint={hint} error={error}>
      <select id={fieldId} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(fieldId, hint, error)} className={control + (error ? "border-red-500" : "border-slate-300")} {...rest}>
        {children}
      </select>
    </Field>
  );
}

type Variant = "primary" | "secondary" | "danger";
const VARIANT: Record<Variant, string> = {
  primary: "bg-brand-600 text-white shadow-sm hover:bg-brand-700",
  secondary: "border border-slate-300 bg-white text-slate-800 shadow-sm hover:bg-slate-50",
  danger: "bg-red-600 text-white shadow-sm hover:bg-red-700",
};
export const buttonClass = (variant: Variant = "primary") =>
  "inline-flex items-center justify-center gap-1 rounded-md px-4 py-2 font-semibold disabled:cursor-wait disabled:opacity-60 " + VARIANT[variant];
/** Kept for links that look like small secondary buttons. */
export const linkButton = "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50";

export function Button({ className = "", variant = "primary", ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return <button className={buttonClass(variant) + " " + className} {...props} />;
}

export function ButtonLink({ to, children, variant = "primary", reloadDocument }: { to: string; children: ReactNode; variant?: "primary" | "secondary"; reloadDocument?: boolean }) {
  return (
    <Link to={to} className={buttonClass(variant)} reloadDocument={reloadDocument}>
      {children}
    </Link>
  );
}

/**
 * A destructive action that asks first, without JavaScript: a <details> whose summary is the
 * button; opening it shows the question and the real submit button (keyboard: Tab to the
 * summary, Enter opens it, Tab to the confirm button). Place it inside the action's <Form>.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  name = "intent",
  value,
  small = false,
}: {
  label: ReactNode;
  question: ReactNode;
  confirmLabel: string;
  name?: string;
  value: string;
  small?: boolean;
}) {
  return (
    <details className="group relative inline-block" data-testid="confirm-button">
      <summary
        className={
          "inline-flex cursor-pointer list-none items-center gap-1 rounded-md border border-red-300 bg-white font-semibold text-red-700 hover:bg-red-50 [&::-webkit-details-marker]:hidden " +
          (small ? "px-2 py-1 text-sm" : "px-4 py-2")
        }
      >
        {label}
      </summary>
      <div role="group" className="absolute right-0 z-10 mt-1 w-64 space-y-2 rounded-md border border-red-200 bg-white p-3 text-sm shadow-lg">
        <p className="text-slate-800">{question}</p>
        <button type="submit" name={name} value={value} className={buttonClass("danger") + " w-full text-sm"}>
          {confirmLabel}
        </button>
      </div>
    </details>
  );
}
