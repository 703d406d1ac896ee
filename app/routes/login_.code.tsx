import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CodeFlow } from "~/components/auth/CodeStep";
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
  const actionData = useActionData<typeof action>();
  return (
    <CodeFlow
      formId="login-code"
      title={t("loginCode.title")}
      intro={t("loginCode.intro")}
      sendLabel={t("loginCode.send")}
      submitLabel={t("login.submit")}
      startOver="/login/code"
      step={useLoaderData<typeof loader>()}
      lastResult={actionData}
      busy={useNavigation().state === "submitting"}
    ></CodeFlow>
  );
}
