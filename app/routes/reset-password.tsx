import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CodeStep } from "~/components/auth/CodeStep";
import { Notice } from "~/components/ui/feedback";
import { Button, TextField } from "~/components/ui/forms";
import { completePasswordReset, startPasswordReset } from "~/domains/auth/accounts.server";
import { codeFailure, codeStepOf, formString, throttled, retryAfterHeaders } from "~/domains/auth/http.server";
import { clientIp, createSessionCookie } from "~/domains/auth/session.server";
import { codeSchema, loginIdentifierSchema, passwordSchema, ticketSchema } from "~/domains/auth/validation";
import { i18next } from "~/i18next.server";

export const headers = retryAfterHeaders;

export const meta: MetaFunction = () => [{ title: "Reset your password · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return codeStepOf(request, "password_reset", "/reset-password");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const ip = clientIp(request);
  if (formString(form, "intent") === "code") {
    const ticket = ticketSchema.safeParse(formString(form, "ticket"));
    if (!ticket.success) throw redirect("/reset-password");
    const code = codeSchema.safeParse(formString(form, "code"));
    const password = passwordSchema.safeParse(form.get("password"));
    if (!code.success || !password.success) {
      const errors = { code: code.error?.issues[0].message, password: password.error?.issues[0].message };
      return data({ errors, formError: null, formErrorParams: {}, login: "" }, { status: 400 });
    }
    const result = await completePasswordReset(ticket.data, code.data, password.data, ip);
    if (!result.ok) return codeFailure(result, { errors: {}, login: "" });
    throw redirect("/account?reset=1", { headers: { "Set-Cookie": await createSessionCookie(result.userId, request) } });
  }
  const login = formString(form, "login").slice(0, 300);
  const parsed = loginIdentifierSchema.safeParse(form.get("login"));
  if (!parsed.success) return data({ errors: { login: parsed.error.issues[0].message }, formError: null, formErrorParams: {}, login }, { status: 400 });
  const started = await startPasswordReset({ login: parsed.data, locale: await i18next.getLocale(request), ip });
  if (!started.ok) return throttled(started.retryAfterSeconds, { errors: {}, login });
  throw redirect(`/reset-password?ticket=${started.ticket}`);
}

export default function ResetPassword() {
  const { t } = useTranslation("auth");
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.errors as Record<string, string | undefined> | undefined;
  const formError = actionData?.formError ? t(actionData.formError, actionData.formErrorParams) : null;
  return (
    <div className="mx-auto max-w-md px-4 py-8 sm:py-12">
      <h1 className="text-2xl font-bold">{t("reset.title")}</h1>
      {loaderData.step === "code" ? (
        <CodeStep
          ticket={loaderData.ticket}
          channel={loaderData.channel}
          masked={loaderData.masked}
          error={errors?.code ? t(errors.code) : undefined}
          formError={formError}
          startOver="/reset-password"
          submitLabel={t("reset.submit")}
          busy={busy}
        >
          <TextField
            label={t("fields.newPassword")}
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            hint={t("fields.passwordHint")}
            error={errors?.password ? t(errors.password) : undefined}
          />
        </CodeStep>
      ) : (
        <Form method="post" className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
          <p className="text-sm text-slate-600">{t("reset.intro")}</p>
          {formError ? <Notice tone="error">{formError}</Notice> : null}
          <input type="hidden" name="intent" value="start" />
          <TextField
            label={t("fields.login")}
            name="login"
            autoComplete="username"
            required
            defaultValue={actionData?.login}
            error={errors?.login ? t(errors.login) : undefined}
          />
          <Button type="submit" className="w-full" disabled={busy}>{t("reset.send")}</Button>
        </Form>
      )}
      <p className="mt-4 text-center text-sm text-slate-600">
        <Link to="/login" className="font-medium text-brand-600 underline">{t("loginCode.withPassword")}</Link>
      </p>
    </div>
  );
}
