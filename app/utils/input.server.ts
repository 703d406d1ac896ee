// Bad input answered with a 4xx and a message that says what is wrong, never a 500.
import type { z } from "zod";
import { hasControlCharacters } from "./input";

export function badRequest(message: string, status = 400) {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** The parsed value, or a thrown 400 naming the first bad field (for params and search params). */
export function parseOr400<S extends z.ZodTypeAny>(schema: S, value: unknown, what = "request"): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.length ? `${issue.path.join(".")}: ` : "";
  throw badRequest(`Bad ${what}: ${field}${issue.message}`);
}

/** Search params as an object (the first value of each name), for parseOr400. */
export function searchParamsOf(request: Request) {
  return Object.fromEntries(new URL(request.url).searchParams);
}

/**
 * The request's form, or a thrown 4xx: 415 for a body that is not a form, 400 for a
 * malformed one or one with control characters (NUL) in a field's name or value.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) {
    throw badRequest("Expected a form (application/x-www-form-urlencoded or multipart/form-data)", 415);
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw badRequest("The form could not be read (malformed body)");
  }
  for (const [name, value] of form) {
    if (hasControlCharacters(name) || (typeof value === "string" && hasControlCharacters(value))) {
      throw badRequest(`Bad form: ${name.slice(0, 40)}: contains control characters`);
    }
  }
  return form;
}
