// Plain option lists and limits, without zod, so that pages can use them without shipping the
// validation schemas (and zod) to the browser; validation.ts re-exports them.

export const EXPORT_COOKIE = "skillrelay_export";
export const DOCUMENTS = ["id_card", "household_register", "residence_permit"] as const;
