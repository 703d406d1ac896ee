import { z } from "zod";
import { isCommonPassword } from "./common-passwords";
import { LOCALES } from "~/i18n";
import { PASSWORD_MIN_LENGTH } from "./options";

// Error messages are translation keys (namespace "auth").
export const emailSchema = z
  .string({ required_error: "errors.emailRequired" })
  .trim()
  .toLowerCase()
  .min(1, "errors.emailRequired")
  .max(254, "errors.emailInvalid")
  .email("errors.emailInvalid");

export const passwordSchema = z
  .string({ required_error: "errors.passwordRequired" })
  .min(PASSWORD_MIN_LENGTH, "errors.passwordTooShort")
  .max(128, "errors.passwordTooLong")
  .refine((p) => !isCommonPassword(p), "errors.passwordCommon");

export const nameSchema = z
  .string({ required_error: "errors.nameRequired" })
  .trim()
  .min(1, "errors.nameRequired")
  .max(80, "errors.nameTooLong")
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "errors.nameInvalid");

export const signupSchema = z.object({
  name: nameSchema,
  email: emailSchema,
  password: passwordSchema,
});

// Mainland mobile numbers (11 digits starting with 1), optionally with +86; stored as digits.
export const phoneSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/[\s-]/g, "").replace(/^\+?86/, ""))
  .pipe(z.string().regex(/^1\d{10}$/, "errors.phoneInvalid"));

/** Imported learners may have only a phone number: log-in takes either. */
export const loginIdentifierSchema = z
  .string({ required_error: "errors.loginRequired" })
  .trim()
  .min(1, "errors.loginRequired")
  .max(254, "errors.loginInvalid")
  .transform((value, ctx) => {
    if (value.includes("@")) {
      const email = emailSchema.safeParse(value);
      if (email.success) return { email: email.data } as const;
    } else {
      const phone = phoneSchema.safeParse(value);
      if (phone.success) return { phone: phone.data } as const;
    }
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "errors.loginInvalid" });
    return z.NEVER;
  });

/** Sign-up by e-mail or by phone number (rural learners often have no e-mail). */
export const signupStartSchema = z.object({
  name: nameSchema,
  login: loginIdentifierSchema,
  password: passwordSchema,
});

/** A 6-digit code typed by a person: spaces and dashes are forgiven. */
export const codeSchema = z
  .string({ required_error: "errors.codeRequired" })
  .max(20, "errors.codeInvalid")
  .transform((v) => v.replace(/[\s-]/g, ""))
  .pipe(z.string().min(1, "errors.codeRequired").regex(/^\d{6}$/, "errors.codeInvalid"));

/** The opaque ticket between "send a code" and "enter it". */
export const ticketSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

/** The code step of sign-up and log-in by code; the reset's adds the new password. */
export const codeFormSchema = z.object({ code: codeSchema });
export const resetCodeFormSchema = z.object({ code: codeSchema, password: passwordSchema });
/** The first step of log-in by code and of the password reset. */
export const loginStartSchema = z.object({ login: loginIdentifierSchema });

/** Account → change the password (the current one is only compared, never stored). */
export const changePasswordSchema = z.object({
  current: z.string({ required_error: "errors.passwordRequired" }).min(1, "errors.passwordRequired").transform((v) => v.slice(0, 200)),
  password: passwordSchema,
});

export const loginSchema = z.object({
  login: loginIdentifierSchema,
  password: z.string({ required_error: "errors.passwordRequired" }).min(1, "errors.passwordRequired").max(128),
  redirectTo: z.string().optional(),
});

export type FieldErrors = Partial<Record<string, string>>;

export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}

const REDIRECT_BASE = "http://skillrelay.invalid";

/**
 * A destination taken from a request (redirectTo, a back link) made safe to redirect to: only
 * a path on this site. It is resolved against a fixed origin the way a browser would, and
 * must stay on that origin with a path that starts with a single "/". Control characters
 * (a browser drops tabs and newlines: "/\t/evil" becomes "//evil") and backslashes (read as
 * "/") are refused before that.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/dashboard") {
  if (typeof to !== "string" || to.length === 0 || to.length > 2048) return fallback;
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(to)) return fallback;
  if (!to.startsWith("/") || to.startsWith("//")) return fallback;
  let url: URL;
  try {
    url = new URL(to, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== REDIRECT_BASE) return fallback;
  const path = url.pathname + url.search + url.hash;
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  return path;
}

export const invitePasswordSchema = z
  .object({ password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: "invite.mismatch", path: ["confirm"] });
export const setLanguageSchema = z.object({ locale: z.enum(LOCALES), redirectTo: z.string().optional() });
