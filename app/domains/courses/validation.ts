import { z } from "zod";

export const LEVELS = ["beginner", "intermediate", "advanced"] as const;
export const LESSON_KINDS = ["text", "video", "material", "task"] as const;
export const COURSE_LANGUAGES = ["zh-CN", "en"] as const;

// Error messages are translation keys in the "courses" namespace.
const title = z.string().trim().min(1, "errors.titleRequired").max(120, "errors.titleTooLong");

export const courseSchema = z.object({
  title,
  summary: z.string().trim().max(2000, "errors.summaryTooLong").default(""),
  categoryId: z.string().min(1, "errors.categoryRequired"),
  level: z.enum(LEVELS, { errorMap: () => ({ message: "errors.levelRequired" }) }),
  language: z.enum(COURSE_LANGUAGES, { errorMap: () => ({ message: "errors.languageRequired" }) }),
});

export const moduleSchema = z.object({ title });

export const lessonCreateSchema = z.object({
  moduleId: z.string().min(1),
  title,
  kind: z.enum(LESSON_KINDS),
});

export const lessonUpdateSchema = z.object({
  title,
  body: z.string().max(100_000, "errors.bodyTooLong").default(""),
  taskHandIn: z.string().max(5_000, "errors.bodyTooLong").default(""),
  durationMinutes: z.coerce.number({ invalid_type_error: "errors.minutes" }).int("errors.minutes").min(1, "errors.minutes").max(600, "errors.minutes"),
});

export const catalogueQuerySchema = z.object({
  q: z.string().trim().max(100).optional().default(""),
  category: z.string().max(64).optional().default(""),
  level: z.enum(LEVELS).or(z.literal("")).optional().default(""),
  page: z.coerce.number().int().min(1).max(1000).catch(1).default(1),
});

export const moveSchema = z.object({ direction: z.enum(["up", "down"]) });

export const videoPositionSchema = z.object({
  position: z.coerce.number().min(0).max(24 * 3600),
});

export const taskSubmissionSchema = z.object({
  body: z.string().trim().max(10_000, "errors.bodyTooLong").default(""),
});
