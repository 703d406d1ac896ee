// Plain option lists and limits, without zod, so that pages can use them without shipping the
// validation schemas (and zod) to the browser; validation.ts re-exports them.
import { MAX_IMPORT_BYTES } from "~/domains/schools/csv";

export const MAX_REGION_BYTES = MAX_IMPORT_BYTES;
export const MAX_REGION_ROWS = 5000;
export const MAX_RECORD_ROWS = 8;
/** Certificate scans on an expert application (decision 029). */
export const MIN_APPLICATION_DOCUMENTS = 1;
export const MAX_APPLICATION_DOCUMENTS = 5;
export const ORG_KINDS = ["school", "training_centre", "enterprise"] as const;
export const ORG_STATES = ["pending", "verified", "rejected"] as const;
export type OrgState = (typeof ORG_STATES)[number];
