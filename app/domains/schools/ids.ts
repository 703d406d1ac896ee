// The shape of the ids and tokens the school pages take from URLs and forms. Anything else
// (too long, a NUL byte, a slash…) is answered as "not found" before it reaches the database,
// which would otherwise fail on it (PostgreSQL refuses NUL in text).

/** A database id (cuid). */
export function isRecordId(value: unknown): value is string {
  return typeof value === "string" && /^[a-z0-9]{1,40}$/i.test(value);
}

/** An invitation token (base64url). */
export function isToken(value: unknown): value is string {
  return typeof value === "string" && /^[A-Za-z0-9_-]{1,100}$/.test(value);
}

/** Free text from a form without control characters (NUL, escapes), which no name contains. */
export function withoutControlChars(value: string) {
  return value.replace(/[\u0000-\u001f\u007f]/g, " ");
}
