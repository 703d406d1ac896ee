// The server half of the one form pattern (Conform + zod, decision 031). Actions parse with
// parseForm and answer a failure with `data(submission.reply(), { status: 400 })`; the page's
// useConformForm (app/components/ui/forms.tsx) shows the errors, keeps what was typed and
// moves the focus to the first invalid field. zod runs here only: @conform-to/zod never
// reaches a browser bundle (tests/integration/browser-bundle.test.ts).
import { parseWithZod } from "@conform-to/zod";
import type { Submission, SubmissionResult } from "@conform-to/react";
import type { z } from "zod";
import { badRequest, readForm } from "./input.server";

/** What an action sends back for a form: Conform's reply (errors are translation keys). */
export type FormReply = SubmissionResult<string[]>;

export type FormSubmission<S extends z.ZodTypeAny> = Submission<z.input<S>, string[], z.output<S>>;

/** A translation key ("errors.titleRequired", "orgApply.errors.name"), not a sentence. */
const KEY = /^[A-Za-z][\w-]*(\.[\w-]+)+$/;

// Conform's reserved names: a hostile value in them must be a 400, not a thrown JSON error.
const INTENT = "__intent__";
const STATE = "__state__";
/** A list index in a field name above this is not a form a person filled in. */
const MAX_INDEX = 999;

function checkConformFields(form: FormData) {
  for (const [name, value] of form) {
    if (name === INTENT || name === STATE) {
      if (typeof value !== "string") throw badRequest(`Bad form: ${name}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        throw badRequest(`Bad form: ${name}`);
      }
      const ok = name === STATE ? typeof parsed === "object" && parsed !== null : typeof parsed === "object" && parsed !== null && typeof (parsed as { type?: unknown }).type === "string" && "payload" in parsed;
      if (!ok) throw badRequest(`Bad form: ${name}`);
    }
    for (const m of name.matchAll(/\[(\d+)\]/g)) {
      if (Number(m[1]) > MAX_INDEX) throw badRequest(`Bad form: ${name.slice(0, 40)}: index too large`);
    }
  }
}

/**
 * The request's form (readForm: body limit, no control characters) or a FormData already read
 * (an upload's text fields), checked with `schema`. The schemas are written for the raw form
 * strings (`z.coerce.number()`, `""` for an empty field), so Conform's own coercion is off.
 * Error messages are translation keys; with `fallback`, a message that is not one (zod's
 * defaults, `text(max)`'s "at most … characters") becomes `fallback`.
 */
export async function parseForm<S extends z.ZodTypeAny>(source: Request | FormData, schema: S, options: { fallback?: string } = {}): Promise<FormSubmission<S>> {
  const form = source instanceof FormData ? source : await readForm(source);
  checkConformFields(form);
  const { fallback } = options;
  return parseWithZod(form, {
    schema,
    disableAutoCoercion: true,
    formatError: (issues: z.ZodIssue[]) => [...new Set(issues.map((issue) => (fallback && !KEY.test(issue.message) ? fallback : issue.message)))],
  }) as FormSubmission<S>;
}

/**
 * A reply with only a form-level error, for a refusal before or without a parsed submission
 * (an upload refused while it was read, a rate limit): `fields` gives back what was typed.
 */
export function formErrorReply(key: string, fields?: FormData | null, hideFields: string[] = []): FormReply {
  const initialValue: Record<string, string | string[]> = {};
  for (const [name, value] of fields ?? []) {
    if (typeof value !== "string" || hideFields.includes(name) || name === INTENT || name === STATE) continue;
    // A repeated name (rows of a table) gives back every value, in the order sent.
    const prev = initialValue[name];
    initialValue[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return { status: "error", initialValue, error: { "": [key] } };
}

/** `reply` with a form-level error added (a refusal after parsing: wrong code, rate limit). */
export function withFormError(reply: FormReply, key: string): FormReply {
  return { ...reply, status: "error", error: { ...reply.error, "": [key] } };
}

/**
 * `reply` with its field errors moved to the form: for a table row whose fields sit in the
 * table's cells (joined to the row's form by `form=`), outside the form that shows errors.
 */
export function asFormErrors(reply: FormReply): FormReply {
  const keys = [...new Set(Object.values(reply.error ?? {}).flatMap((e) => e ?? []))];
  return keys.length ? { ...reply, error: { "": keys } } : reply;
}
