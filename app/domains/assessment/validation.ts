// Forms of the marking pages and the scheme editor (shared with the browser).
import { z } from "zod";
import { text, urlId } from "~/utils/input";

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
  passMark: z.coerce.number().min(0).max(1000),
  attemptsAllowed: z.coerce.number().int().min(1).max(20),
  blind: z.enum(["on"]).optional(),
});
