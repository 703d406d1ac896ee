// Chinese resident identity numbers (GB 11643-1999): 17 digits and a check character.
// Pure functions, usable anywhere; encryption and look-up hashes are in identity.server.ts.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = "10X98765432";
// First two digits: province-level region codes.
const PROVINCES = new Set([
  "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
  "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
  "71", "81", "82", "83",
]);

export type IdNumberProblem = "format" | "region" | "birthDate" | "checksum";

/** Removes spaces and dashes and upper-cases a trailing x. */
export function normalizeIdNumber(raw: string) {
  return raw.replace(/[\s\-\u3000]/g, "").toUpperCase();
}

export function checkCharacter(first17: string) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** null when the (normalised) number is valid, else what is wrong with it. */
export function idNumberProblem(id: string, today = new Date()): IdNumberProblem | null {
  if (!/^\d{17}[\dX]$/.test(id)) return "format";
  if (!PROVINCES.has(id.slice(0, 2))) return "region";
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  if (
    year < 1900 ||
    birth.getUTCFullYear() !== year ||
    birth.getUTCMonth() !== month - 1 ||
    birth.getUTCDate() !== day ||
    birth.getTime() > today.getTime()
  ) {
    return "birthDate";
  }
  if (checkCharacter(id.slice(0, 17)) !== id[17]) return "checksum";
  return null;
}

export function isValidIdNumber(raw: string) {
  return idNumberProblem(normalizeIdNumber(raw)) === null;
}

/** A full number shown masked: first four and last four characters, e.g. 5134**********1234. */
export function maskIdNumber(id: string) {
  const n = normalizeIdNumber(id);
  if (n.length < 8) return "*".repeat(n.length);
  return `${n.slice(0, 4)}${"*".repeat(n.length - 8)}${n.slice(-4)}`;
}

/** A stored number, of which only the last four characters are kept in clear: **************1234. */
export function maskFromLast4(last4: string | null | undefined) {
  return last4 ? `${"*".repeat(14)}${last4}` : "";
}

/**
 * What a valid number says about its holder: birth date (YYYY-MM-DD), gender (the 17th digit:
 * odd male, even female) and the 6-digit region code where it was issued. null when invalid.
 */
export function identityFromIdNumber(raw: string, today = new Date()) {
  const id = normalizeIdNumber(raw);
  if (idNumberProblem(id, today) !== null) return null;
  return {
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    gender: Number(id[16]) % 2 === 1 ? ("male" as const) : ("female" as const),
    regionCode: id.slice(0, 6),
  };
}
