import { z } from "zod";

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
  .min(8, "errors.passwordTooShort")
  .max(128, "errors.passwordTooLong");

export const signupSchema = z.object({
  name: z
    .string({ required_error: "errors.nameRequired" })
    .trim()
    .min(1, "errors.nameRequired")
    .max(80, "errors.nameTooLong"),
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

/** Only same-site relative paths are allowed as post-login destinations. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/dashboard") {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
