import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CodeStep } from "~/components/auth/CodeStep";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, TextField } from "~/components/ui/forms";
import { completeCodeLogin, startCodeLogin } from "~/domains/auth/accounts.server";
import { codeFailure, codeStepOf, formString, throttled, retryAfterHeaders } from "~/domains/auth/http.server";
import { clientIp, createSessionCookie, getUser } from "~/domains/auth/session.server";
import { codeFormSchema, loginStartSchema, ticketSchema } from "~/domains/auth/validation";
import { i18next } from "~/i18next.server";
import { parseForm } from "~/utils/forms.server";
import { readForm } from "~/utils/input.server";

export const headers = retryAfterHeaders;

export const meta: MetaFunction = () => [{ title: "Log in with a code · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/dashboard");
  return codeStepOf(request, "login", "/login/code");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ip = clientIp(request);
  if (formString(form, "intent") === "code") {
    const ticket = ticketSchema.safeParse(formString(form, "ticket"));
    if (!ticket.success) throw redirect("/login/code");
    const submission = await parseForm(form, codeFormSchema);
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    const result = await completeCodeLogin(ticket.data, submission.value.code, ip);
    if (!result.ok) return codeFailure(result, submission.reply());
    throw redirect("/dashboard", { headers: { "Set-Cookie": await createSessionCookie(result.userId, request) } });
  }
  const submission = await parseForm(form, loginStartSchema);
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const started = await startCodeLogin({ login: submission.value.login, locale: await i18next.getLocale(request), ip });
  if (!started.ok) return throttled(started.retryAfterSeconds, submission.reply());
  throw redirect(`/login/code?ticket=${started.ticket}`);
}

export default function LoginByCode() {
  const { t } = useTranslation("auth");
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useConformForm({ id: "login-code", lastResult: actionData });
  const minutes = actionData && "minutes" in actionData ? actionData.minutes : 15;
  const busy = useNavigation().state === "submitting";
  return (
    <div className="mx-auto max-w-md px-4 py-8 sm:py-12">
      <h1 className="text-2xl font-bold">{t("loginCode.title")}</h1>
      {loaderData.step === "code" ? (
        <CodeStep
          ticket={loaderData.ticket}
          channel={loaderData.channel}
          masked={loaderData.masked}
          lastResult={actionData}
          startOver="/login/code"
          submitLabel={t("login.submit")}
          busy={busy}
        />
      ) : (
        <ConformForm form={form} t={(key) => t(key, { minutes })} method="post" className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
          <p className="text-sm text-slate-600">{t("loginCode.intro")}</p>
          <input type="hidden" name="intent" value="start" />
          <TextField label={t("fields.login")} field={fields.login} autoComplete="username" required />
          <Button type="submit" className="w-full" disabled={busy}>{t("loginCode.send")}</Button>
        </ConformForm>
      )}
      <p className="mt-4 text-center text-sm text-slate-600">
        <Link to="/login" className="font-medium text-brand-600 underline">{t("loginCode.withPassword")}</Link>
      </p>
    </div>
  );
}
