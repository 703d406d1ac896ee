// Input rules shared by the zod schemas of every domain (client and server).
import { z } from "zod";

/** C0 control characters and DEL, except tab, line feed and carriage return. NUL among them. */
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function hasControlCharacters(value: string) {
  return CONTROL_CHARACTERS.test(value);
}

/** A string of at most `max` characters without control characters (PostgreSQL refuses NUL). */
export function text(max: number, tooLong = `at most ${max} characters`) {
  return z
    .string()
    .max(max, tooLong)
    .refine((s) => !hasControlCharacters(s), "contains control characters");
}

/**
 * A repeated form field (checkboxes of one name) for a form parsed by Conform: one value
 * arrives as a string, none as nothing; both become the list `array` checks.
 */
export function formList<T extends z.ZodTypeAny>(array: T) {
  return z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), array);
}

/** A database id (cuid) or slug in a URL: letters, digits, - and _, 1 to `max` characters. */
export function urlId(max = 40) {
  return z
    .string()
    .min(1, "missing")
    .max(max, `at most ${max} characters`)
    .regex(/^[A-Za-z0-9_-]+$/, "only letters, digits, - and _");
}
