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

const email = z.string().email();

/**
 * The invitees field: addresses split by splitEmails, from `min` to MAX_INVITEES of them. Its
 * errors are on the field itself (not on one address of the list), where the form shows them.
 */
function inviteeList(min: number) {
  return z
    .string()
    .max(5000, "errors.tooManyInvitees")
    .transform(splitEmails)
    .superRefine((list, ctx) => {
      const message = list.some((e) => !email.safeParse(e).success) ? "errors.emailInvalid" : list.length < min ? "errors.inviteesRequired" : list.length > MAX_INVITEES ? "errors.tooManyInvitees" : null;
      if (message) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    });
}

/** The "start an instant session" form on /live (experts). */
export const instantSessionSchema = z
  .object({
    title: z.string().trim().min(1, "errors.titleRequired").max(120, "errors.titleTooLong"),
    invitees: z.string().default("").pipe(inviteeList(0)),
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
  invitees: inviteeList(1),
});


export const sessionIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/i);
