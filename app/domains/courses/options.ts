// Plain option lists and limits, without zod, so that pages can use them without shipping the
// validation schemas (and zod) to the browser; validation.ts re-exports them.

export const LEVELS = ["beginner", "intermediate", "advanced"] as const;
export const LESSON_KINDS = ["text", "video", "material", "task"] as const;
export const COURSE_LANGUAGES = ["zh-CN", "en"] as const;
