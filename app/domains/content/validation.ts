// Content (issue 10): the article form and the rating form. Errors are translation keys
// of the `content` namespace.
import { z } from "zod";
import { text } from "~/utils/input";

// <input type="datetime-local">: "YYYY-MM-DDTHH:mm", in the author's time zone (converted on the server).
const localDateTime = z
  .string()
  .trim()
  .max(40)
  .regex(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?)?$/, "errors.badDate")
  .default("");

export const articleSchema = z.object({
  kind: z.enum(["policy", "story"], { message: "errors.badKind" }),
  slug: z
    .string()
    .trim()
    .min(1, "errors.slugRequired")
    .max(80, "errors.slugTooLong")
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "errors.slugFormat"),
  titleZh: text(200, "errors.titleTooLong").pipe(z.string().trim().min(1, "errors.titleRequired")),
  titleEn: text(200, "errors.titleTooLong").default(""),
  summaryZh: text(500, "errors.summaryTooLong").default(""),
  summaryEn: text(500, "errors.summaryTooLong").default(""),
  bodyZh: text(50_000, "errors.bodyTooLong").default(""),
  bodyEn: text(50_000, "errors.bodyTooLong").default(""),
  status: z.enum(["draft", "published", "scheduled"], { message: "errors.badStatus" }),
  publishAt: localDateTime,
  personName: text(100, "errors.fieldTooLong").default(""),
  skill: text(100, "errors.fieldTooLong").default(""),
  regionCode: z
    .string()
    .trim()
    .max(6)
    .regex(/^(\d{6})?$/, "errors.badRegion")
    .default(""),
  link: text(300, "errors.fieldTooLong")
    .default("")
    .refine((s) => s === "" || /^(https?:\/\/|\/)[^\s]*$/i.test(s), "errors.badLink"),
  // A story's linked competition result: a certificate id from the editor's list (checked on the server).
  resultCertificateId: z
    .string()
    .trim()
    .max(40)
    .regex(/^([A-Za-z0-9_-]+)?$/, "errors.badResult")
    .default(""),
  consent: z.enum(["on", ""]).default("").optional(),
  consentNote: text(500, "errors.fieldTooLong").default(""),
});
export type ArticleInput = z.infer<typeof articleSchema>;

export const ratingSchema = z.object({
  stars: z.coerce.number({ message: "errors.badStars" }).int("errors.badStars").min(1, "errors.badStars").max(5, "errors.badStars"),
  comment: text(1000, "errors.commentTooLong").default(""),
});


export const slugParams = z.object({ slug: z.string().min(1).max(80).regex(/^[a-z0-9-]+$/, "only a-z, 0-9 and -") });
/** /experts?skill=welding: a skill category's slug, or nothing for every expert. */
export const expertsQuerySchema = z.object({ skill: z.string().max(80).regex(/^[a-z0-9-]*$/, "only a-z, 0-9 and -").default("") });
export const idParams = z.object({ id: z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/, "only letters, digits, - and _") });
