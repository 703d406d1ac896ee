// Plain option lists and limits, without zod, so that pages can use them without shipping the
// validation schemas (and zod) to the browser; validation.ts re-exports them.

export const MAX_INVITEES = 49;
export const DURATIONS = [30, 60, 90, 120, 180] as const;
