import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CodeStep } from "~/components/auth/CodeStep";
import { Notice } from "~/components/ui/feedback";
import { Button, TextField } from "~/components/ui/forms";
import { completeCodeLogin, startCodeLogin } from "~/domains/auth/accounts.server";
import { codeFailure, codeStepOf, formString, throttled, retryAfterHeaders } from "~/domains/auth/http.server";
import { clientIp, createSessionCookie, getUser } from "~/domains/auth/session.server";
import { codeSchema, loginIdentifierSchema, ticketSchema } from "~/domains/auth/validation";
import { i18next } from "~/i18next.server";

export const headers = retryAfterHeaders;

export const meta: MetaFunction = () => [{ title: "Log in with a code · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/dashboard");
  return codeStepOf(request, "login", "/login/code");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const ip = clientIp(request);
  if (formString(form, "intent") === "code") {
    const ticket = ticketSchema.safeParse(formString(form, "ticket"));
    if (!ticket.success) throw redirect("/login/code");
    const code = codeSchema.safeParse(formString(form, "code"));
    if (!code.success) return data({ errors: { code: code.error.issues[0].message }, formError: null, formErrorParams: {}, login: "" }, { status: 400 });
    const result = await completeCodeLogin(ticket.data, code.data, ip);
    if (!result.ok) return codeFailure(result, { errors: {}, login: "" });
    throw redirect("/dashboard", { headers: { "Set-Cookie": await createSessionCookie(result.userId, request) } });
  }
  const login = formString(form, "login").slice(0, 300);
  const parsed = loginIdentifierSchema.safeParse(form.get("login"));
  if (!parsed.success) return data({ errors: { login: parsed.error.issues[0].message }, formError: null, formErrorParams: {}, login }, { status: 400 });
  const started = await startCodeLogin({ login: parsed.data, locale: await i18next.getLocale(request), ip });
  if (!started.ok) return throttled(started.retryAfterSeconds, { errors: {}, login });
  throw redirect(`/login/code?ticket=${started.ticket}`);
}

export default function LoginByCode() {
  const { t } = useTranslation("auth");
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.errors as Record<string, string | undefined> | undefined;
  const formError = actionData?.formError ? t(actionData.formError, actionData.formErrorParams) : null;
  return (
    <div className="mx-auto max-w-md px-4 py-8 sm:py-12">
      <h1 className="text-2xl font-bold">{t("loginCode.title")}</h1>
      {loaderData.step === "code" ? (
        <CodeStep
          ticket={loaderData.ticket}
          channel={loaderData.channel}
          masked={loaderData.masked}
          error={errors?.code ? t(errors.code) : undefined}
          formError={formError}
          startOver="/login/code"
          submitLabel={t("login.submit")}
          busy={busy}
        />
      ) : (
        <Form method="post" className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
          <p className="text-sm text-slate-600">{t("loginCode.intro")}</p>
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
          <Button type="submit" className="w-full" disabled={busy}>{t("loginCode.send")}</Button>
        </Form>
      )}
      <p className="mt-4 text-center text-sm text-slate-600">
        <Link to="/login" className="font-medium text-brand-600 underline">{t("loginCode.withPassword")}</Link>
      </p>
    </div>
  );
}
