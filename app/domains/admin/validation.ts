// Forms of the administration pages and of the expert application (shared with the browser).
import { z } from "zod";
import { ROLES } from "~/domains/auth/roles";
import { text } from "~/utils/input";
import { normalizePhone } from "~/domains/schools/contact";
import { MAX_RECORD_ROWS, ORG_KINDS, ORG_STATES } from "./options";
export { MAX_RECORD_ROWS, ORG_KINDS, ORG_STATES, type OrgState } from "./options";
import { regionCodeSchema, regionFieldsSchema } from "./regions-csv";

export const userActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("role"), userId: z.string().min(1).max(40), role: z.enum(ROLES) }),
  z.object({ intent: z.literal("disable"), userId: z.string().min(1).max(40), reason: text(500).optional() }),
  z.object({ intent: z.literal("enable"), userId: z.string().min(1).max(40) }),
]);


export const recordRowSchema = z.object({
  event: text(120).pipe(z.string().trim().min(1, "apply.errors.eventRequired")),
  year: z.coerce.number().int().min(1950, "apply.errors.year").max(2100, "apply.errors.year"),
  skill: text(120).pipe(z.string().trim().min(1, "apply.errors.skillRequired")),
  result: text(120).pipe(z.string().trim().min(1, "apply.errors.resultRequired")),
});
export type RecordRow = z.infer<typeof recordRowSchema>;

export const expertApplicationSchema = z.object({
  records: z.array(recordRowSchema).min(1, "apply.errors.recordRequired").max(MAX_RECORD_ROWS),
  currentWork: text(2000).pipe(z.string().trim().min(1, "apply.errors.workRequired")),
});

/** The rows of the form (event[], year[], skill[], result[]), blank rows dropped. */
export function recordRowsOf(form: FormData) {
  const events = form.getAll("event").map(String);
  const years = form.getAll("year").map(String);
  const skills = form.getAll("skill").map(String);
  const results = form.getAll("result").map(String);
  return events
    .map((event, i) => ({ event, year: years[i] ?? "", skill: skills[i] ?? "", result: results[i] ?? "" }))
    .filter((r) => [r.event, r.year, r.skill, r.result].some((v) => v.trim() !== ""))
    .slice(0, MAX_RECORD_ROWS + 1);
}

export const decisionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve") }),
  z.object({ intent: z.literal("reject"), reason: text(1000).pipe(z.string().trim().min(1, "experts.errors.reasonRequired")) }),
]);

export const orgDecisionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("verify"), orgId: z.string().min(1).max(40) }),
  z.object({ intent: z.literal("reject"), orgId: z.string().min(1).max(40), reason: text(1000).pipe(z.string().trim().min(1, "orgs.errors.reasonRequired")) }),
]);


const required = (max: number, message: string) => text(max).pipe(z.string().trim().min(1, message));

/** The fields of /schools/apply (the licence scan comes separately, through the upload path). */
export const orgApplicationSchema = z.object({
  name: text(120).pipe(z.string().trim().min(2, "orgApply.errors.name")),
  kind: z.enum(ORG_KINDS, { message: "orgApply.errors.kind" }),
  regionCode: z.string().regex(/^\d{6}$/, "orgApply.errors.region"),
  address: required(200, "orgApply.errors.address"),
  contactName: required(60, "orgApply.errors.contactName"),
  contactPhone: text(30)
    .transform((v) => normalizePhone(v) ?? "")
    .pipe(z.string().min(1, "orgApply.errors.phone")),
  // Unified social credit code (18 characters) or a school licence number: letters, digits, dashes.
  licenceNumber: text(40)
    .transform((v) => v.normalize("NFKC").trim().toUpperCase())
    .pipe(z.string().regex(/^[0-9A-Z-]{6,30}$/, "orgApply.errors.licence")),
});
export type OrgApplicationInput = z.infer<typeof orgApplicationSchema>;


const skillFields = {
  nameZh: text(60).pipe(z.string().trim().min(1, "skills.errors.name")),
  nameEn: text(80).pipe(z.string().trim().min(1, "skills.errors.name")),
  sortOrder: z.coerce.number().int().min(0).max(9999).default(0),
};
export const skillActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("update"), id: z.string().min(1).max(40), ...skillFields }),
  z.object({ intent: z.literal("create"), slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, "skills.errors.code"), ...skillFields }),
]);

// Priority groups: the same fields as a skill category; the key uses underscores (the seeded
// keys: poor_household, epidemic_family …); "active" is a checkbox (absent = retired).
const priorityFields = {
  nameZh: text(60).pipe(z.string().trim().min(1, "priority.errors.name")),
  nameEn: text(80).pipe(z.string().trim().min(1, "priority.errors.name")),
  sortOrder: z.coerce.number().int().min(0).max(9999).default(0),
};
export const priorityGroupActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("update"), id: z.string().min(1).max(40), ...priorityFields, active: z.literal("on").optional().transform((v) => v === "on") }),
  z.object({ intent: z.literal("create"), key: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, "priority.errors.code"), ...priorityFields }),
]);

export const orgFilterSchema = z.object({ state: z.enum([...ORG_STATES, "unverified"]).optional() });
export const regionFilterSchema = z.object({ q: text(40).optional(), poverty: z.literal("1").optional() });
/** A county added or a row of the list saved (/admin/regions): the form's fields, then the CSV's rules for them. */
export const regionFormSchema = z
  .object({
    code: regionCodeSchema,
    name: text(60, "regions.errors.name").pipe(regionFieldsSchema.shape.name),
    nameEn: text(80, "regions.errors.bad").default("").pipe(regionFieldsSchema.shape.nameEn),
    province: text(40, "regions.errors.bad").default("").pipe(regionFieldsSchema.shape.province),
    poverty: z.literal("1", { errorMap: () => ({ message: "regions.errors.bad" }) }).optional(),
  })
  .transform(({ poverty, ...r }) => ({ ...r, povertyCounty: poverty === "1" }));
export type RegionFormInput = z.input<typeof regionFormSchema>;
export const userSearchSchema = z.object({ q: text(100).optional(), role: z.enum(ROLES).or(z.literal("")).optional() });
