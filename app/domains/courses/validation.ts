import { z } from "zod";
import { text, urlId } from "~/utils/input";
import { HAND_IN_LIMITS } from "./hand-in-rules";
import { LEVELS, LESSON_KINDS, COURSE_LANGUAGES } from "./options";
export { LEVELS, LESSON_KINDS, COURSE_LANGUAGES } from "./options";


// Error messages are translation keys in the "courses" namespace.
const title = text(10_000, "errors.titleTooLong").pipe(z.string().trim().min(1, "errors.titleRequired").max(120, "errors.titleTooLong"));

export const courseSchema = z.object({
  title,
  summary: text(2000, "errors.summaryTooLong").default("").transform((s) => s.trim()),
  categoryId: text(40).pipe(z.string().min(1, "errors.categoryRequired")),
  level: z.enum(LEVELS, { errorMap: () => ({ message: "errors.levelRequired" }) }),
  language: z.enum(COURSE_LANGUAGES, { errorMap: () => ({ message: "errors.languageRequired" }) }),
});

export type CourseInput = z.input<typeof courseSchema>;

export const moduleSchema = z.object({ title });

export const lessonCreateSchema = z.object({
  moduleId: urlId(),
  title,
  kind: z.enum(LESSON_KINDS, { errorMap: () => ({ message: "errors.kindRequired" }) }),
});

/** A co-author invited by e-mail on the course editor. */
export const coauthorSchema = z.object({ email: text(200, "errors.coauthorNotExpert").pipe(z.string().trim().toLowerCase().email("errors.coauthorNotExpert")) });

export const lessonUpdateSchema = z.object({
  title,
  body: text(100_000, "errors.bodyTooLong").default(""),
  taskHandIn: text(5_000, "errors.bodyTooLong").default(""),
  durationMinutes: z.coerce.number({ invalid_type_error: "errors.minutes" }).int("errors.minutes").min(1, "errors.minutes").max(600, "errors.minutes"),
});

export type LessonUpdateInput = z.input<typeof lessonUpdateSchema>;

export const catalogueQuerySchema = z.object({
  q: text(100).optional().default("").transform((s) => s.trim()),
  category: z.union([urlId(64), z.literal("")], { errorMap: () => ({ message: "not a category" }) }).optional().default(""),
  level: z.enum(LEVELS).or(z.literal("")).optional().default(""),
  page: z.coerce.number().int().min(1).max(1000).catch(1).default(1),
});

/** Route params: ids of courses, lessons, modules and files; course slugs. */
export const courseIdParams = z.object({ courseId: urlId() });
export const lessonEditParams = z.object({ courseId: urlId(), lessonId: urlId() });
export const lessonStudyParams = z.object({ slug: urlId(100), lessonId: urlId() });
export const slugParams = z.object({ slug: urlId(100) });
export const mediaParams = z.object({ assetId: urlId() });
export const mediaQuerySchema = z.object({
  lesson: urlId().optional(),
  download: z.enum(["0", "1"]).optional(),
});

export const moveSchema = z.object({ direction: z.enum(["up", "down"]) });

export const videoPositionSchema = z.object({
  position: z.coerce.number().min(0).max(24 * 3600),
});

export const taskSubmissionSchema = z.object({
  body: text(10_000, "errors.bodyTooLong").default("").transform((s) => s.trim()),
  // Finished resumable uploads (tus ids), in the learner's order; whose they are is checked on the server.
  uploads: z.array(z.string().regex(/^[0-9a-f]{32}$/, "errors.handIn_bad_upload")).max(HAND_IN_LIMITS.filesPerSubmission, "errors.handIn_too_many_files").default([]),
});
