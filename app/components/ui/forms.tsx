// The kit's form pieces: TextField, SelectField, TextArea, FileField, Checkbox, CheckboxList, Button, ButtonLink,
// ConfirmButton. A field takes a Conform `field` of a ConformForm (conform-form.tsx, the one
// form pattern, decision 031: name, id, what was typed, its errors as translation keys,
// translated by the form's `t`), or plain `name` / `error` (already translated). Conform itself
// is imported by conform-form.tsx only, so pages without a form do not download it.
import { createContext, useContext, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import type { FieldMetadata } from "@conform-to/react";
import { Link } from "@remix-run/react";

const control = "block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/40 ";
export const selectClass = control + "border-slate-300";

/** What a ConformForm tells its fields (app/components/ui/conform-form.tsx). */
export type FormContextValue = {
  t: (key: string) => string;
  /** After an error the first invalid field gets the focus, not the one the page asks for. */
  hasFieldErrors: boolean;
  /** True for the first invalid field that asks (render order = page order): it gets autoFocus. */
  claimFocus: (name: string) => boolean;
  /** The form holds an action's reply (its values replace the fields' defaults). */
  replied: boolean;
};
export const KitFormContext = createContext<FormContextValue | null>(null);
/** A Conform field of any form (its errors are translation keys). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyField = FieldMetadata<any, any, string[]>;

type FieldProps = {
  label: ReactNode;
  hint?: string;
  error?: string;
  field?: AnyField;
  name?: string;
  id?: string;
  autoFocus?: boolean;
  /** The label for screen readers only (a row's field in a table or list, its column says what it is). */
  labelHidden?: boolean;
};

/** name, id, typed value, translated error and aria attributes of a field (from `field` or plain props). */
function useFieldBits({ field, name, id, error, hint, autoFocus }: Omit<FieldProps, "label">) {
  const ctx = useContext(KitFormContext);
  const fieldName = field?.name ?? name ?? "";
  const fieldId = id ?? field?.id ?? `field-${fieldName}`;
  const message = error ?? (field?.errors?.length ? field.errors.map((e) => (ctx ? ctx.t(e) : e)).join(" ") : undefined);
  return {
    fieldId,
    message,
    /** The field's first value: what was typed (after a reply, "" when it was left empty), else `fallback`. */
    initial: <T,>(fallback: T) => (field ? (field.defaultValue ?? (ctx?.replied ? "" : fallback)) : fallback),
    control: {
      id: fieldId,
      name: fieldName,
      "aria-invalid": message ? true : undefined,
      "aria-describedby": [hint ? `${fieldId}-hint` : null, message ? `${fieldId}-error` : null].filter(Boolean).join(" ") || undefined,
      autoFocus: ctx?.hasFieldErrors ? Boolean(field && message && ctx.claimFocus(field.name)) || undefined : autoFocus,
    },
  };
}

function Field({ id, label, hint, error, labelHidden, children }: { id: string; label: ReactNode; hint?: string; error?: string; labelHidden?: boolean; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className={labelHidden ? "sr-only" : "block text-sm font-medium text-slate-700"}>
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

/**
 * A labelled input. With `field` (useConformForm's fields.x) it takes its name, id, what was
 * typed and its error; otherwise `name` (set `id` when several forms on one page share names).
 */
export function TextField({ label, name, id, error, hint, field, autoFocus, labelHidden, ...input }: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id">) {
  const bits = useFieldBits({ field, name, id, error, hint, autoFocus });
  return (
    <Field id={bits.fieldId} label={label} hint={hint} error={bits.message} labelHidden={labelHidden}>
      <input key={field?.key} className={control + (bits.message ? "border-red-500" : "border-slate-300")} {...bits.control} {...input} defaultValue={bits.initial(input.defaultValue)} />
    </Field>
  );
}

export function SelectField({ label, name, id, children, hint, error, field, autoFocus, labelHidden, ...rest }: FieldProps & { children: ReactNode } & Omit<SelectHTMLAttributes<HTMLSelectElement>, "name" | "id">) {
  const bits = useFieldBits({ field, name, id, error, hint, autoFocus });
  return (
    <Field id={bits.fieldId} label={label} hint={hint} error={bits.message} labelHidden={labelHidden}>
      <select key={field?.key} className={control + (bits.message ? "border-red-500" : "border-slate-300")} {...bits.control} {...rest} defaultValue={bits.initial(rest.defaultValue)}>
        {children}
      </select>
    </Field>
  );
}

/**
 * A labelled file input (a browser never gets a chosen file back, so no value after a reply):
 * with `field`, its name, id, error, aria attributes and the focus after an error.
 */
export function FileField({ label, name, id, error, hint, field, autoFocus, labelHidden, className = "", ...input }: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id" | "type" | "defaultValue" | "value">) {
  const bits = useFieldBits({ field, name, id, error, hint, autoFocus });
  return (
    <Field id={bits.fieldId} label={label} hint={hint} error={bits.message} labelHidden={labelHidden}>
      <input
        key={field?.key}
        type="file"
        className={"block w-full rounded-md border bg-white text-sm file:mr-3 file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:font-semibold file:text-brand-700 " + (bits.message ? "border-red-500 " : "border-slate-300 ") + className}
        {...bits.control}
        {...input}
      />
    </Field>
  );
}

/** A labelled textarea; `className` adds to the kit's look (e.g. a monospace editor). */
export function TextArea({ label, name, id, hint, error, field, autoFocus, labelHidden, className = "", ...rest }: FieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name" | "id">) {
  const bits = useFieldBits({ field, name, id, error, hint, autoFocus });
  return (
    <Field id={bits.fieldId} label={label} hint={hint} error={bits.message} labelHidden={labelHidden}>
      <textarea key={field?.key} className={control + (bits.message ? "border-red-500 " : "border-slate-300 ") + className} {...bits.control} {...rest} defaultValue={bits.initial(rest.defaultValue)} />
    </Field>
  );
}

/** A checkbox with its label beside it; with `field`, checked again after an error if it was. */
export function Checkbox({ label, name, id, hint, error, field, autoFocus, value = "on", ...rest }: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id" | "type">) {
  const bits = useFieldBits({ field, name, id, error, hint, autoFocus });
  const ctx = useContext(KitFormContext);
  const typed = field && (ctx?.replied || field.initialValue !== undefined) ? { defaultChecked: Array.isArray(field.initialValue) ? field.initialValue.includes(String(value)) : field.initialValue === String(value) } : {};
  return (
    <div className="space-y-1">
      <label htmlFor={bits.fieldId} className="flex items-start gap-2 text-sm text-slate-700">
        <input key={field?.key} type="checkbox" value={value} className="mt-0.5 h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500" {...bits.control} {...rest} {...typed} />
        <span>{label}</span>
      </label>
      {hint ? (
        <p id={`${bits.fieldId}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {bits.message ? (
        <p id={`${bits.fieldId}-error`} role="alert" className="text-sm text-red-600">
          {bits.message}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Checkboxes of one name (a list: parse it with formList() from app/utils/input.ts) in a
 * fieldset: the error under the legend, the boxes ticked again after a reply, and the first box
 * gets the focus (autoFocus without JavaScript) when the list is the first invalid field.
 * Boxes ticked from the start go in useConformForm's defaultValue (a list of values), not in
 * the options: with JavaScript a reply leaves Conform's initial value as it was, and a box the
 * person did not touch follows defaultChecked.
 */
export function CheckboxList({
  legend,
  field,
  options,
  legendHidden,
  className = "",
  listClassName = "space-y-1",
  optionClassName = "flex items-center gap-2 rounded px-2 py-1 text-sm hover:bg-slate-50",
}: {
  legend: ReactNode;
  field: AnyField;
  options: Array<{ value: string; label: ReactNode }>;
  legendHidden?: boolean;
  className?: string;
  listClassName?: string;
  /** Each box's label (e.g. a pill that shows when it is ticked, `has-[:checked]:…`). */
  optionClassName?: string;
}) {
  const ctx = useContext(KitFormContext);
  const message = field.errors?.length ? field.errors.map((e) => (ctx ? ctx.t(e) : e)).join(" ") : undefined;
  const focus = Boolean(ctx?.hasFieldErrors && message && ctx.claimFocus(field.name));
  const ticked = new Set([field.initialValue ?? []].flat().map(String));
  return (
    <fieldset className={className} aria-invalid={message ? true : undefined} aria-describedby={message ? field.errorId : undefined}>
      <legend className={legendHidden ? "sr-only" : "text-sm font-medium text-slate-700"}>{legend}</legend>
      {message ? (
        <p id={field.errorId} role="alert" className="text-sm text-red-600">
          {message}
        </p>
      ) : null}
      <div className={listClassName}>
        {options.map((o, i) => (
          <label key={o.value} className={optionClassName}>
            <input
              key={field.key}
              type="checkbox"
              name={field.name}
              value={o.value}
              className="h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500"
              defaultChecked={ticked.has(o.value)}
              aria-invalid={message ? true : undefined}
              autoFocus={focus && i === 0 ? true : undefined}
            />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
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
