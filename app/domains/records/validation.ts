// Forms of the records domain (shared with the browser). Errors are translation keys.
import { z } from "zod";
import { isDateString } from "~/domains/scheduling/tz";
import { formList, text } from "~/utils/input";
import { EXPORT_COOKIE, DOCUMENTS } from "./options";
export { EXPORT_COOKIE, DOCUMENTS } from "./options";

const yuan = z
  .string()
  .trim()
  .regex(/^\d{1,7}(\.\d{1,2})?$/, "errors.money")
  .transform((v) => Math.round(Number(v) * 100));
const minutes = z.coerce.number({ message: "errors.minutes" }).int("errors.minutes").min(0, "errors.minutes").max(1440, "errors.minutes");

export const programmeSchema = z
  .object({
    title: text(120, "errors.titleTooLong").transform((s) => s.trim()).pipe(z.string().min(1, "errors.titleRequired")),
    occupation: text(120, "errors.tooLong").transform((s) => s.trim()),
    kind: z.enum(["pre_employment", "skills_upgrading", "work_based"], { message: "errors.kind" }),
    cohortId: z.string().min(1, "errors.cohort").max(40, "errors.cohort"),
    courseIds: formList(z.array(z.string().max(40, "errors.courses")).max(50, "errors.courses")),
    startDate: z.string().refine(isDateString, "errors.date"),
    endDate: z.string().refine(isDateString, "errors.date"),
    subsidyPerLearner: yuan,
    subsidyPerHour: yuan,
    livingPerDay: yuan,
    minMinutesPerDay: minutes,
    lessonMinutes: minutes,
  })
  .refine((p) => p.endDate >= p.startDate, { message: "errors.dateOrder", path: ["endDate"] });

export type ProgrammeInput = z.infer<typeof programmeSchema>;

export const correctionSchema = z.object({
  userId: z.string().min(1, "errors.learner").max(40, "errors.learner"),
  day: z.string().refine(isDateString, "errors.date"),
  minutes: z.coerce.number({ message: "errors.minutes" }).int("errors.minutes").min(-1440, "errors.minutes").max(1440, "errors.minutes").refine((n) => n !== 0, "errors.minutes"),
  reason: text(300, "errors.tooLong").transform((s) => s.trim()).pipe(z.string().min(3, "errors.reasonRequired")),
});

export type CorrectionInput = z.infer<typeof correctionSchema>;

/** The period of a subsidy export (both ends optional, inside the programme's dates) and the
 * download token the page's progress indicator waits for. */
export const exportQuerySchema = z
  .object({
    from: z.string().refine((v) => v === "" || isDateString(v), "errors.date").default(""),
    to: z.string().refine((v) => v === "" || isDateString(v), "errors.date").default(""),
    token: z.string().regex(/^[a-z0-9]{0,32}$/i).default(""),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "errors.dateOrder", path: ["to"] });
export type ExportQuery = z.infer<typeof exportQuerySchema>;
/** The cookie that tells the programme page its export has started downloading. */

/** A played range from the lesson player: seconds into the video. */
export const playedRangeSchema = z
  .object({
    from: z.coerce.number().finite().min(0).max(86400),
    to: z.coerce.number().finite().min(0).max(86400),
  })
  .refine((r) => r.to >= r.from, { message: "to before from" });

export const identitySchema = z.object({
  legalName: text(60, "errors.tooLong").transform((s) => s.trim()).pipe(z.string().min(1, "errors.legalNameRequired")),
  countyCode: z.string().trim().regex(/^(\d{6})?$/, "errors.county").default(""),
  priorityKeys: formList(z.array(z.string().max(60, "errors.priority")).max(20, "errors.priority")),
  idNumber: text(30, "errors.idNumber").transform((s) => s.trim()).default(""),
  reason: text(300, "errors.tooLong").transform((s) => s.trim()).default(""),
});


export const verifySchema = z.object({
  document: z.enum(DOCUMENTS, { message: "errors.document" }),
  documentRef: text(60, "errors.tooLong").transform((s) => s.trim()).default(""),
});
export type IdentityInput = z.infer<typeof identitySchema>;
export type VerifyInput = z.infer<typeof verifySchema>;
