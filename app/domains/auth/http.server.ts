// Shared answers of the account pages' actions.
import { data, redirect, type HeadersFunction } from "@remix-run/node";
import type { VerificationPurpose } from "@prisma/client";
import { describeTicket } from "./codes.server";
import { withFormError, type FormReply } from "~/utils/forms.server";
import { ticketSchema } from "./validation";

/** A route's `headers` export: passes the action's Retry-After on to the page's response. */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

/** 429 with Retry-After: the form's reply with "errors.throttled"; the page says how many `minutes` to wait. */
export function throttled(retryAfterSeconds: number, reply: FormReply, key = "errors.throttled") {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return data({ ...withFormError(reply, key), minutes }, { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } });
}

export type CodeFailure = { reason: "invalid" } | { reason: "spent" } | { reason: "taken" } | { reason: "throttled"; retryAfterSeconds: number };

/** The answer to a code that did not work; the same for real and never-valid tickets. */
export function codeFailure(failure: CodeFailure, reply: FormReply) {
  if (failure.reason === "throttled") return throttled(failure.retryAfterSeconds, reply);
  const formError = failure.reason === "invalid" ? "errors.codeWrong" : failure.reason === "spent" ? "errors.codeSpent" : "errors.signupTaken";
  return data({ ...withFormError(reply, formError), minutes: 0 }, { status: failure.reason === "taken" ? 409 : 400 });
}

export function formString(form: FormData, name: string) {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}

/**
 * The step of a code page (sign-up, log-in by code, reset) from its `?ticket=`: the start form,
 * or the code form for an open ticket of this purpose; any other ticket goes back to `startOver`.
 */
export async function codeStepOf(request: Request, purpose: VerificationPurpose, startOver: string) {
  const ticket = new URL(request.url).searchParams.get("ticket");
  if (!ticket) return { step: "start" as const };
  const parsed = ticketSchema.safeParse(ticket);
  const described = parsed.success ? await describeTicket(parsed.data, purpose) : null;
  if (!parsed.success || !described || !described.open) throw redirect(startOver);
  return { step: "code" as const, ticket: parsed.data, channel: described.channel, masked: described.masked };
}
