// Form schemas of the scheduling pages (each next to the form that posts it, by intent).
// Error messages are translation keys in the "scheduling" namespace.
import { z } from "zod";
import { formList } from "~/utils/input";
import { canonicalTimeZone, isDateString, parseClock } from "./tz";

const timeZone = z
  .string()
  .transform((v, ctx) => {
    const c = canonicalTimeZone(v.trim());
    if (!c) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "errors.timeZone" });
    return c ?? "";
  });

const int = (min: number, max: number, message: string) => z.coerce.number({ invalid_type_error: message }).int(message).min(min, message).max(max, message);

const clock = (message: string) =>
  z.string().transform((v, ctx) => {
    const m = parseClock(v);
    if (m === null) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    return m ?? 0;
  });

/** "00:00" as an end time means midnight at the end of the day. */
function windowRefine<T extends { start: number; end: number }>(v: T, ctx: z.RefinementCtx) {
  if (v.end === 0) v.end = 1440;
  if (v.end <= v.start) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["end"], message: "errors.endBeforeStart" });
}

export const timeZoneSchema = z.object({ timeZone });
export type TimeZoneInput = z.infer<typeof timeZoneSchema>;

export const settingsSchema = z.object({
  timeZone,
  bufferMinutes: int(0, 240, "errors.buffer"),
  minNoticeMinutes: int(0, 60 * 24 * 14, "errors.notice"),
  maxSessionsPerDay: int(0, 48, "errors.maxPerDay"),
  cancelCutoffMinutes: int(0, 60 * 24 * 7, "errors.cutoff"),
});

export const windowSchema = z
  .object({
    weekday: formList(z.array(z.coerce.number({ invalid_type_error: "errors.pickDays" }).int("errors.pickDays").min(0, "errors.pickDays").max(6, "errors.pickDays")).min(1, "errors.pickDays").max(7, "errors.pickDays")),
    start: clock("errors.time"),
    end: clock("errors.time"),
  })
  .superRefine(windowRefine);

export const overrideSchema = z
  .object({
    date: z.string().refine(isDateString, "errors.date"),
    kind: z.enum(["extra", "off"]),
    start: z.string().optional(),
    end: z.string().optional(),
  })
  .transform((v, ctx) => {
    if (v.kind === "off") return { date: v.date, kind: v.kind, startMinute: null, endMinute: null };
    const start = parseClock(v.start);
    let end = parseClock(v.end);
    if (start === null) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["start"], message: "errors.time" });
    if (end === null) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["end"], message: "errors.time" });
    if (end === 0) end = 1440;
    if (start !== null && end !== null && end <= start) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["end"], message: "errors.endBeforeStart" });
    return { date: v.date, kind: v.kind, startMinute: start, endMinute: end };
  });

export const ONE_TO_ONE_DURATIONS = [30, 45, 60] as const;

export const sessionTypeSchema = z
  .object({
    title: z.string().trim().min(1, "errors.titleRequired").max(80, "errors.titleLong"),
    kind: z.enum(["one_to_one", "group"]),
    durationMinutes: int(15, 240, "errors.duration"),
    capacity: z.coerce.number().int().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "one_to_one" && !(ONE_TO_ONE_DURATIONS as readonly number[]).includes(v.durationMinutes)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["durationMinutes"], message: "errors.duration11" });
    }
    if (v.kind === "group" && (v.durationMinutes % 15 !== 0)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["durationMinutes"], message: "errors.duration" });
    }
    if (v.kind === "group" && (!v.capacity || v.capacity < 2 || v.capacity > 500)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["capacity"], message: "errors.capacity" });
    }
  })
  .transform((v) => ({ ...v, capacity: v.kind === "group" ? v.capacity! : 1 }));

/** A slot choice: "slot:<ISO start>" or "seat:<session id>". */
export const choiceSchema = z.string().transform((v, ctx) => {
  const [kind, ...rest] = v.split(":");
  const value = rest.join(":");
  if (kind === "seat" && /^[a-z0-9]{10,40}$/.test(value)) return { kind: "seat" as const, sessionId: value };
  if (kind === "slot") {
    const d = new Date(value);
    if (!Number.isNaN(d.getTime()) && /^\d{4}-\d{2}-\d{2}T/.test(value)) return { kind: "slot" as const, startsAt: d };
  }
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: "errors.pickTime" });
  return z.NEVER;
});

export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}

/** A time picked on an expert's board (/schedule/experts/:id): to book, or to move a booking there. */
export const bookSlotSchema = z.object({
  intent: z.enum(["book", "reschedule"]),
  type: z.string().max(40, "errors.pickTime").default(""),
  bookingId: z.string().max(40, "errors.generic").default(""),
  choice: z.string().default("").pipe(choiceSchema),
});
export type BookSlotInput = z.input<typeof bookSlotSchema>;

/** A time and the ticked learners of a cohort (/schedule/cohort). */
export const cohortBookSchema = z.object({
  intent: z.literal("book"),
  cohort: z.string().max(40, "errors.generic").default(""),
  expert: z.string().max(40, "errors.generic").default(""),
  type: z.string().max(40, "errors.pickTime").default(""),
  choice: z.string().default("").pipe(choiceSchema),
  learner: formList(z.array(z.string().max(40, "errors.pickLearners")).min(1, "errors.pickLearners").max(1000, "errors.pickLearners")),
});
export type CohortBookInput = z.input<typeof cohortBookSchema>;

export type SettingsInput = z.input<typeof settingsSchema>;
export type WindowInput = z.input<typeof windowSchema>;
export type OverrideInput = z.input<typeof overrideSchema>;
export type SessionTypeInput = z.input<typeof sessionTypeSchema>;
