import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CodeStep } from "~/components/auth/CodeStep";
import { Notice } from "~/components/ui/feedback";
import { Button, TextField } from "~/components/ui/forms";
import { completeSignup, startSignup } from "~/domains/auth/accounts.server";
import { codeFailure, codeStepOf, formString, throttled, retryAfterHeaders } from "~/domains/auth/http.server";
import { clientIp, createSessionCookie, getUser } from "~/domains/auth/session.server";
import { codeSchema, fieldErrors, safeRedirect, signupStartSchema, ticketSchema } from "~/domains/auth/validation";
import { i18next } from "~/i18next.server";

export const headers = retryAfterHeaders;

export const meta: MetaFunction = () => [{ title: "Sign up · SkillRelay" }];

// Where a finished sign-up goes: ?redirectTo= (a same-site path, e.g. /schools/apply, so that an
// organisation's applicant comes back to the form), else the dashboard. Both steps post to the
// page's own URL, so the parameter rides along in the query.
const nextOf = (request: Request) => safeRedirect(new URL(request.url).searchParams.get("redirectTo"));

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect(nextOf(request));
  return codeStepOf(request, "signup", "/signup?expired=1");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const ip = clientIp(request);
  if (formString(form, "intent") === "code") {
    const ticket = ticketSchema.safeParse(formString(form, "ticket"));
    if (!ticket.success) throw redirect("/signup?expired=1");
    const code = codeSchema.safeParse(formString(form, "code"));
    if (!code.success) return data({ errors: { code: code.error.issues[0].message }, formError: null, formErrorParams: {}, values: null }, { status: 400 });
    const result = await completeSignup(ticket.data, code.data, ip);
    if (!result.ok) return codeFailure(result, { errors: {}, values: null });
    const cookie = await createSessionCookie(result.userId, request);
    throw redirect(nextOf(request), { headers: { "Set-Cookie": cookie } });
  }

  const values = { name: formString(form, "name").slice(0, 200), login: formString(form, "login").slice(0, 300) };
  const parsed = signupStartSchema.safeParse({ name: form.get("name"), login: form.get("login"), password: form.get("password") });
  if (!parsed.success) {
    return data({ errors: fieldErrors(parsed.error), formError: null, formErrorParams: {}, values }, { status: 400 });
  }
  const started = await startSignup({ ...parsed.data, locale: await i18next.getLocale(request), ip });
  if (!started.ok) return throttled(started.retryAfterSeconds, { errors: {}, values });
  // The same answer whether or not the address already has an account.
  const next = nextOf(request);
  throw redirect(`/signup?ticket=${started.ticket}${next === "/dashboard" ? "" : `&redirectTo=${encodeURIComponent(next)}`}`);
}

export default function Signup() {
  const { t } = useTranslation("auth");
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.errors as Record<string, string | undefined> | undefined;
  const formError = actionData?.formError
    ? t(actionData.formError, actionData.formErrorParams)
    : params.get("expired") && loaderData.step === "start"
      ? t("errors.codeSpent")
      : null;
  if (loaderData.step === "code") {
    return (
      <div className="mx-auto max-w-md px-4 py-8 sm:py-12">
        <h1 className="text-2xl font-bold">{t("signup.codeTitle")}</h1>
        <CodeStep
          ticket={loaderData.ticket}
          channel={loaderData.channel}
          masked={loaderData.masked}
          error={errors?.code ? t(errors.code) : undefined}
          formError={formError}
          startOver="/signup"
          submitLabel={t("signup.finish")}
          busy={busy}
        />
      </div>
    );
  }
  const values = actionData?.values;
  return (
    <div className="mx-auto max-w-md px-4 py-8 sm:py-12">
      <h1 className="text-2xl font-bold">{t("signup.title")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("signup.intro")}</p>
      <Form method="post" className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
        {formError ? <Notice tone="error">{formError}</Notice> : null}
        <input type="hidden" name="intent" value="start" />
        <TextField
          label={t("fields.name")}
          name="name"
          autoComplete="name"
          required
          defaultValue={values?.name}
          error={errors?.name ? t(errors.name) : undefined}
        />
        <TextField
          label={t("fields.login")}
          name="login"
          autoComplete="username"
          required
          hint={t("fields.loginHint")}
          defaultValue={values?.login}
          error={errors?.login ? t(errors.login) : undefined}
        />
        <TextField
          label={t("fields.password")}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint={t("fields.passwordHint")}
          error={errors?.password ? t(errors.password) : undefined}
        />
        <Button type="submit" className="w-full" disabled={busy}>{t("signup.submit")}</Button>
      </Form>
      <p className="mt-4 text-center text-sm text-slate-600">
        {t("signup.haveAccount")} <Link to={params.get("redirectTo") ? `/login?redirectTo=${encodeURIComponent(params.get("redirectTo") ?? "")}` : "/login"} className="font-medium text-brand-600 underline">{t("signup.loginLink")}</Link>
      </p>
    </div>
  );
}
