// Forms of the assessment domain: marking, the scheme editor, mock competitions (shared with the browser).
import { z } from "zod";
import { text, urlId } from "~/utils/input";
import { isBriefingUrl } from "./competition";

const optionalNumber = z.preprocess((v) => (v === "" || v === null || v === undefined ? undefined : v), z.coerce.number().finite().min(-1e6).max(1e6).optional());
export const markSchema = z.object({
  aspectId: urlId(),
  score: z.preprocess((v) => (v === "" || v === null || v === undefined ? undefined : v), z.coerce.number().int().min(0).max(3).optional()),
  measured: optionalNumber,
  faults: z.preprocess((v) => (v === "" || v === null || v === undefined ? undefined : v), z.coerce.number().int().min(0).max(1000).optional()),
  awarded: z.enum(["yes", "no"]).optional(),
  feedback: text(2000).default(""),
});
export const schemeSettingsSchema = z.object({
  passMark: z.coerce.number().min(0).max(1000),
  attemptsAllowed: z.coerce.number().int().min(1).max(20),
  blind: z.enum(["on"]).optional(),
});

// Mock competitions. Errors are translation keys of the `assessment` namespace.

// <input type="datetime-local">: "YYYY-MM-DDTHH:mm", in the creator's time zone (converted on the server).
const localDateTime = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, "competitions.errors.badDate");

const emailList = (max: number) =>
  text(20_000, "competitions.errors.tooLong").transform((s) =>
    [...new Set(s.split(/[\s,;，；]+/).map((e) => e.trim().toLowerCase()).filter(Boolean))].slice(0, max),
  );

export const MAX_COMPETITION_MODULES = 10;
export const MAX_PARTICIPANTS = 500;
export const MAX_MARKERS = 20;

export const competitionSchema = z.object({
  title: text(120, "competitions.errors.titleTooLong").pipe(z.string().trim().min(1, "competitions.errors.titleRequired")),
  description: text(20_000, "competitions.errors.tooLong").default(""),
  lessonId: urlId().or(z.literal("")).pipe(z.string().min(1, "competitions.errors.projectRequired")),
  startsAt: localDateTime,
  endsAt: localDateTime,
  releaseAt: localDateTime.or(z.literal("")).default(""),
  participantEmails: emailList(MAX_PARTICIPANTS).default(""),
  cohortId: urlId().or(z.literal("")).default(""),
  markerEmails: emailList(MAX_MARKERS).default(""),
  briefingUrl: text(300, "competitions.errors.badBriefing")
    .transform((s) => s.trim())
    .refine(isBriefingUrl, "competitions.errors.badBriefing")
    .default(""),
});

export type CompetitionForm = z.infer<typeof competitionSchema>;

/** Module rows of the form (title + minutes), blank rows dropped. */
export const moduleRowsSchema = z
  .array(z.object({ title: text(120, "competitions.errors.tooLong").transform((s) => s.trim()), minutes: z.string().trim().max(6) }))
  .max(MAX_COMPETITION_MODULES)
  .transform((rows) => rows.filter((r) => r.title !== "" || r.minutes !== ""))
  .pipe(
    z.array(
      z.object({
        title: z.string().min(1, "competitions.errors.moduleTitle"),
        minutes: z.coerce.number({ message: "competitions.errors.moduleMinutes" }).int("competitions.errors.moduleMinutes").min(1, "competitions.errors.moduleMinutes").max(24 * 60, "competitions.errors.moduleMinutes"),
      }),
    ),
  );

export const handInSchema = z.object({ body: text(5000, "competitions.errors.tooLong").default("") });
