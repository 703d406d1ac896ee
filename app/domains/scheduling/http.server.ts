// Shared pieces of the scheduling routes' loaders and actions.
import { data } from "@remix-run/node";
import { i18next } from "~/i18next.server";
import { isLocale, DEFAULT_LOCALE, type Locale } from "~/i18n";
import { BookingError } from "./booking.server";
import { safeRedirect } from "~/domains/auth/validation";
import { readForm } from "~/utils/input.server";
import type { FormReply } from "~/utils/forms.server";

export async function requestLocale(request: Request): Promise<Locale> {
  const l = await i18next.getLocale(request);
  return isLocale(l) ? l : DEFAULT_LOCALE;
}

export async function formOf(request: Request) {
  const form = await readForm(request);
  const fields: Record<string, string> = {};
  for (const [k, v] of form) if (typeof v === "string" && !(k in fields)) fields[k] = v;
  return { form, fields, intent: fields.intent ?? "" };
}

const STATUS: Record<string, number> = {
  taken: 409,
  full: 409,
  not_enough_seats: 409,
  unavailable: 409,
  already_booked: 409,
  own_session: 400,
  cutoff: 403,
  started: 403,
  forbidden: 403,
  not_found: 404,
};

/** A booking refusal as the page's error: a translation key plus details, with a fitting status. */
export function bookingFailure(err: unknown) {
  if (!(err instanceof BookingError)) throw err;
  return data({ ok: false as const, error: `booking.${err.code}`, detail: err.detail, fieldErrors: {} as Record<string, string> }, { status: STATUS[err.code] ?? 400 });
}

export function formFailure(error: string, fieldErrors: Record<string, string> = {}, status = 400) {
  return data({ ok: false as const, error, detail: {} as Record<string, number | string>, fieldErrors }, { status });
}

/**
 * A booking refusal as a Conform reply: the key as the form's error, its details (seats left,
 * needed) beside the reply for the page's `t`, with the same status as bookingFailure.
 */
export function bookingFailureReply(submission: { reply: (options: { formErrors: string[] }) => FormReply }, err: unknown) {
  if (!(err instanceof BookingError)) throw err;
  return data({ ...submission.reply({ formErrors: [`booking.${err.code}`] }), detail: (err.detail ?? {}) as Record<string, number | string> }, { status: STATUS[err.code] ?? 400 });
}

/** The same page again (GET) after a POST: keeps the query string, drops one-shot flags. */
export function backTo(request: Request, drop: string[] = []) {
  const url = new URL(request.url);
  for (const d of drop) url.searchParams.delete(d);
  return safeRedirect(url.pathname + url.search, "/schedule");
}
