import { z } from "zod";
import { MAX_INVITEES, DURATIONS } from "./options";
export { MAX_INVITEES, DURATIONS } from "./options";


/** Splits "a@x.cn, b@y.cn\nc@z.cn" into lower-cased, de-duplicated addresses. */
export function splitEmails(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(/[\s,;，；]+/)
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

/** The "start an instant session" form on /live (experts). */
export const instantSessionSchema = z
  .object({
    title: z.string().trim().min(1, "errors.titleRequired").max(120, "errors.titleTooLong"),
    invitees: z
      .string()
      .max(5000)
      .default("")
      .transform(splitEmails)
      .pipe(z.array(z.string().email("errors.emailInvalid")).max(MAX_INVITEES, "errors.tooManyInvitees")),
    capacity: z.coerce.number().int("errors.capacityInvalid").min(1, "errors.capacityInvalid").max(MAX_INVITEES + 1, "errors.capacityInvalid").optional(),
    durationMinutes: z.coerce
      .number()
      .int()
      .refine((n) => (DURATIONS as readonly number[]).includes(n), "errors.durationInvalid")
      .default(60),
  })
  .transform((v) => ({ ...v, capacity: v.capacity ?? Math.max(1, v.invitees.length) }));

export type InstantSessionInput = z.infer<typeof instantSessionSchema>;

/** The host's "invite more people" form on the session page. */
export const inviteSchema = z.object({
  invitees: z
    .string()
    .max(5000)
    .transform(splitEmails)
    .pipe(z.array(z.string().email("errors.emailInvalid")).min(1, "errors.inviteesRequired").max(MAX_INVITEES, "errors.tooManyInvitees")),
});

export function firstError(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  return { field: String(issue?.path[0] ?? "form"), message: issue?.message ?? "errors.invalid" };
}

export const sessionIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/i);
