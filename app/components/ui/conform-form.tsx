// The one form pattern (decision 031): Conform in the browser, zod on the server only
// (app/utils/forms.server.ts). A page: `const [form, fields] = useConformForm({ id, lastResult:
// useActionData<typeof action>() })`, then <ConformForm form={form} t={t} method="post"> with
// the kit's fields given `field={fields.x}`. Kept apart from forms.tsx so that Conform (about
// 9 KB compressed) is downloaded by the pages with such a form only.
import type { ReactNode } from "react";
import { getFormProps, useForm, type FormMetadata, type SubmissionResult } from "@conform-to/react";
import { Form, useActionData, type FormProps } from "@remix-run/react";
import { Notice } from "./feedback";
import { KitFormContext } from "./forms";

/** Conform's reply from the action (app/utils/forms.server.ts): errors are translation keys. */
export type FormReply = SubmissionResult<string[]>;

/** Action data that is a Conform reply (an action may also answer other things). */
function replyOf(actionData: unknown): FormReply | undefined {
  if (!actionData || typeof actionData !== "object") return undefined;
  const d = actionData as Record<string, unknown>;
  return "initialValue" in d || (typeof d.error === "object" && d.error !== null) ? (d as FormReply) : undefined;
}

/**
 * Conform's useForm the kit's way: validated on the server only (no zod in the browser); in
 * the browser only the native checks of the fields' attributes (required, maxLength, type)
 * run, as without JavaScript. `lastResult` is the action's data (useActionData); initial values
 * of an edit form go in `defaultValue` (a reply's values replace them, so an emptied field
 * stays empty). After an error Conform focuses the first invalid field (with JavaScript);
 * ConformForm gives it `autoFocus` in the server's HTML (without).
 */
export function useConformForm<Schema extends Record<string, unknown> = Record<string, unknown>>({
  id,
  lastResult,
  defaultValue,
}: {
  id: string;
  lastResult: unknown;
  defaultValue?: Partial<Record<keyof Schema, string | string[] | null | undefined>>;
}) {
  return useForm<Schema, string[]>({
    id,
    lastResult: replyOf(lastResult),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    defaultValue: defaultValue as any,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onSubmit",
  });
}

/**
 * The action's reply for one of several forms on a page: the reply whose values (the form's
 * hidden fields: its intent, a row's id) are those of `match` (a key given as undefined: the
 * form has no such field), or a success's reset (`initialValue: null`), which every form takes
 * so that each starts again from its defaults.
 */
export function useReplyFor(match: Record<string, string | undefined>) {
  const result = useActionData<Record<string, unknown>>();
  if (!result || !("initialValue" in result)) return undefined;
  const values = result.initialValue as Record<string, unknown> | null;
  if (values === null) return result;
  return Object.entries(match).every(([k, v]) => values[k] === v) ? result : undefined;
}

/**
 * Without JavaScript the server's HTML must say which field gets the focus: the first invalid
 * one in the page's order, as Conform picks with JavaScript. The kit's fields render in that
 * order, so the first of them with an error claims it while rendering.
 */
function focusClaim() {
  let first: string | undefined;
  return (name: string) => {
    first ??= name;
    return first === name;
  };
}

/**
 * Remix's <Form> for a useConformForm form: Conform's id and submit handler, the browser's own
 * checks kept (no `noValidate`), the form-level errors (`formErrors`) in a Notice at the top.
 * `t` translates the error keys of the form and its fields.
 */
export function ConformForm({
  form,
  t,
  children,
  ...props
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  form: FormMetadata<any, string[]>;
  t: (key: string) => string;
  children: ReactNode;
} & Omit<FormProps, "id" | "onSubmit">) {
  const errors = form.errors ?? [];
  const hasFieldErrors = Object.entries(form.allErrors).some(([name, e]) => name !== "" && e.length > 0);
  return (
    <KitFormContext.Provider value={{ t, hasFieldErrors, claimFocus: focusClaim(), replied: form.status !== undefined }}>
      <Form {...getFormProps(form)} noValidate={false} {...props}>
        {errors.length ? (
          <div id={form.errorId} data-testid="form-error">
            <Notice tone="error">{errors.map((e) => t(e)).join(" ")}</Notice>
          </div>
        ) : null}
        {children}
      </Form>
    </KitFormContext.Provider>
  );
}

