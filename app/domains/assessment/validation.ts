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
  intent: z.literal("settings"),
  passMark: z.string().max(20, "errors.passMark").min(1, "errors.passMark").pipe(z.coerce.number({ invalid_type_error: "errors.passMark" }).min(0, "errors.passMark").max(1000, "errors.passMark")),
  tolerance: z.string().max(20, "errors.tolerance").min(1, "errors.tolerance").pipe(z.coerce.number({ invalid_type_error: "errors.tolerance" }).min(0, "errors.tolerance").max(100, "errors.tolerance")),
  attemptsAllowed: z.string().max(20, "errors.attempts").min(1, "errors.attempts").pipe(z.coerce.number({ invalid_type_error: "errors.attempts" }).int("errors.attempts").min(1, "errors.attempts").max(20, "errors.attempts")),
  blind: z.enum(["on"], { errorMap: () => ({ message: "errors.badRequest" }) }).optional(),
});
export type SchemeSettingsInput = z.input<typeof schemeSettingsSchema>;
/** A marker added to a scheme by e-mail (the scheme editor). */
export const addMarkerSchema = z.object({ intent: z.literal("addMarker"), email: text(200, "errors.markerEmail").pipe(z.string().trim().min(3, "errors.markerEmail")) });
/** A submission's result released with the lead's overall feedback. */
export const releaseSchema = z.object({ intent: z.literal("release"), submissionId: urlId(), feedback: text(2000, "errors.feedbackTooLong").default("") });

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

/** The edit form: the same fields minus the test project; people can only be added. */
export const competitionEditSchema = competitionSchema.omit({ lessonId: true });
export type CompetitionEditForm = z.infer<typeof competitionEditSchema>;

export const competitionCancelSchema = z.object({
  reason: text(300, "competitions.errors.reasonTooLong").pipe(z.string().trim().min(1, "competitions.errors.reasonRequired")),
});

/** Module rows of the form (title + minutes), blank rows dropped. */
/** The detail page's button forms: release the results, or remove one competitor (by user id). */
export const competitionIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("release") }),
  z.object({ intent: z.literal("removeParticipant"), userId: urlId() }),
]);

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

// The scheme editor's forms (issue 11). Errors are translation keys of the `assessment` namespace.
// A measurement rule is written like the XLSX column: "0.5=1; 1=0.5" for bands.
const required = (max: number) => text(max, "editor.errors.tooLong").transform((s) => s.trim()).pipe(z.string().min(1, "editor.errors.required"));
const blankToUndefined = (v: unknown) => (v === "" || v === null || v === undefined ? undefined : v);

export const MAX_SCHEME_SECTIONS = 30;
export const MAX_SCHEME_CRITERIA = 30;
export const MAX_SCHEME_ASPECTS = 100;

export const sectionFormSchema = z.object({
  name: required(120),
  weighting: z.coerce.number({ message: "editor.errors.weighting" }).finite("editor.errors.weighting").min(0, "editor.errors.weighting").max(100, "editor.errors.weighting"),
});
export const criterionFormSchema = z.object({
  code: z.string().trim().toUpperCase().regex(/^[A-Z]{1,3}$/, "editor.errors.code"),
  name: required(200),
});

const bandsText = text(500, "editor.errors.tooLong").transform((s, ctx) => {
  const parts = s
    .split(/[;\n，；]+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => /^(\d+(?:\.\d+)?)\s*=\s*(\d+(?:\.\d+)?)$/.exec(p));
  if (parts.length === 0 || parts.length > 10 || parts.some((p) => !p)) {
    ctx.addIssue({ code: "custom", message: "editor.errors.bands" });
    return z.NEVER;
  }
  return parts.map((p) => ({ upTo: Number(p![1]), fraction: Number(p![2]) }));
});

export const aspectFormSchema = z
  .object({
    kind: z.enum(["measurement", "judgement"], { message: "editor.errors.kind" }),
    description: required(500),
    maxMark: z.coerce.number({ message: "editor.errors.maxMark" }).finite("editor.errors.maxMark").gt(0, "editor.errors.maxMark").max(1000, "editor.errors.maxMark"),
    d0: text(500, "editor.errors.tooLong").default(""),
    d1: text(500, "editor.errors.tooLong").default(""),
    d2: text(500, "editor.errors.tooLong").default(""),
    d3: text(500, "editor.errors.tooLong").default(""),
    mode: z.preprocess(blankToUndefined, z.enum(["binary", "bands", "deduction"], { message: "editor.errors.mode" }).optional()),
    bands: text(500, "editor.errors.tooLong").default(""),
    perFault: z.preprocess(blankToUndefined, z.coerce.number({ message: "editor.errors.perFault" }).finite("editor.errors.perFault").gt(0, "editor.errors.perFault").max(1000, "editor.errors.perFault").optional()),
  })
  .superRefine((a, ctx) => {
    if (a.kind === "judgement") {
      (["d0", "d1", "d2", "d3"] as const).forEach((k) => {
        if (!a[k].trim()) ctx.addIssue({ code: "custom", path: [k], message: "editor.errors.descriptor" });
      });
    } else if (!a.mode) ctx.addIssue({ code: "custom", path: ["mode"], message: "editor.errors.mode" });
    else if (a.mode === "bands" && !bandsText.safeParse(a.bands).success) ctx.addIssue({ code: "custom", path: ["bands"], message: "editor.errors.bands" });
    else if (a.mode === "deduction" && a.perFault === undefined) ctx.addIssue({ code: "custom", path: ["perFault"], message: "editor.errors.perFault" });
  })
  .transform((a) => {
    if (a.kind === "judgement") return { kind: "judgement" as const, description: a.description, maxMark: a.maxMark, descriptors: [a.d0, a.d1, a.d2, a.d3].map((d) => d.trim()) };
    const measurement =
      a.mode === "bands" ? { mode: "bands" as const, bands: bandsText.parse(a.bands) } : a.mode === "deduction" ? { mode: "deduction" as const, perFault: a.perFault! } : { mode: "binary" as const };
    return { kind: "measurement" as const, description: a.description, maxMark: a.maxMark, measurement };
  });

/** Which editor change a form asks for; the ids are checked against the scheme on the server. */
export const schemeEditSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("addSection") }),
  z.object({ intent: z.literal("editSection"), targetId: urlId() }),
  z.object({ intent: z.literal("addCriterion"), targetId: urlId() }),
  z.object({ intent: z.literal("editCriterion"), targetId: urlId() }),
  z.object({ intent: z.literal("addAspect"), targetId: urlId() }),
  z.object({ intent: z.literal("editAspect"), targetId: urlId() }),
  z.object({ intent: z.literal("delete"), targetId: urlId() }),
  z.object({ intent: z.literal("duplicate"), targetId: urlId() }),
  z.object({ intent: z.literal("moveUp"), targetId: urlId() }),
  z.object({ intent: z.literal("moveDown"), targetId: urlId() }),
]);
export const SCHEME_EDIT_INTENTS = ["addSection", "editSection", "addCriterion", "editCriterion", "addAspect", "editAspect", "delete", "duplicate", "moveUp", "moveDown"] as const;
