import { Limit } from "~/domains/auth/limits.server";

/**
 * Printable marking forms are built on request (a few hundred ms of CPU each): per user,
 * enough for a lead expert printing a whole competition's forms, not for a loop.
 */
export const markingFormLimiter = new Limit("marking_form_pdf", 120, 10 * 60);

/** Takes one point for this user or throws a 429 with Retry-After. */
export async function takeMarkingFormPoint(userId: string) {
  const limit = await markingFormLimiter.consume(userId);
  if (!limit.ok) throw new Response("Too many forms; try again shortly", { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } });
}

/** Creating a competition notifies (and e-mails) every competitor and marker: a few an hour per creator. */
export const competitionCreateLimiter = new Limit("competition_create", 10, 60 * 60);
