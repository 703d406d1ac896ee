// How a learner's contact details are normalised before they are stored or compared. The
// stored forms match what log-in accepts (~/domains/auth/validation): e-mail trimmed and
// lower-cased; a mainland mobile number as its 11 digits, without +86, spaces or dashes.
import { emailSchema } from "~/domains/auth/validation";

/** NFKC turns full-width digits and letters (common in Chinese input) into ASCII. */
function fold(value: string) {
  return value.normalize("NFKC").trim();
}

export function normalizeEmail(raw: string): string | null {
  const parsed = emailSchema.safeParse(fold(raw));
  return parsed.success ? parsed.data : null;
}

export function normalizePhone(raw: string): string | null {
  let digits = fold(raw).replace(/[\s\-().]/g, "");
  digits = digits.replace(/^(?:\+|00)?86(?=1\d{10}$)/, "");
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/**
 * Excel shows long numbers in scientific notation (1.38001E+10) and saves them that way in
 * CSV, losing digits: the commonest broken import in practice, so it gets its own message.
 */
export function looksLikeExcelNumber(raw: string) {
  return /^\d+(?:\.\d+)?E\+\d+$/i.test(fold(raw));
}
