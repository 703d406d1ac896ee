import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CodeFlow } from "~/components/auth/CodeStep";
import { completePasswordReset, startPasswordReset } from "~/domains/auth/accounts.server";
import { codeFailure, codeStepOf, formString, throttled, retryAfterHeaders } from "~/domains/auth/http.server";
import { clientIp, createSessionCookie } from "~/domains/auth/session.server";
import { loginStartSchema, resetCodeFormSchema, ticketSchema } from "~/domains/auth/validation";
import { i18next } from "~/i18next.server";
import { parseForm } from "~/utils/forms.server";
import { readForm } from "~/utils/input.server";
import { NewPasswordField } from "~/components/auth/PasswordFields";

export const headers = retryAfterHeaders;

export const meta: MetaFunction = () => [{ title: "Reset your password · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return codeStepOf(request, "password_reset", "/reset-password");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const ip = clientIp(request);
  if (formString(form, "intent") === "code") {
    const ticket = ticketSchema.safeParse(formString(form, "ticket"));
    if (!ticket.success) throw redirect("/reset-password");
    const submission = await parseForm(form, resetCodeFormSchema);
    const reply = submission.reply({ hideFields: ["password"] });
    if (submission.status !== "success") return data(reply, { status: 400 });
    const result = await completePasswordReset(ticket.data, submission.value.code, submission.value.password, ip);
    if (!result.ok) return codeFailure(result, reply);
    throw redirect("/account?reset=1", { headers: { "Set-Cookie": await createSessionCookie(result.userId, request) } });
  }
  const submission = await parseForm(form, loginStartSchema);
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const started = await startPasswordReset({ login: submission.value.login, locale: await i18next.getLocale(request), ip });
  if (!started.ok) return throttled(started.retryAfterSeconds, submission.reply());
  throw redirect(`/reset-password?ticket=${started.ticket}`);
}

export default function ResetPassword() {
  const { t } = useTranslation("auth");
  const actionData = useActionData<typeof action>();
  return (
    <CodeFlow
      formId="reset"
      title={t("reset.title")}
      intro={t("reset.intro")}
      sendLabel={t("reset.send")}
      submitLabel={t("reset.submit")}
      startOver="/reset-password"
      step={useLoaderData<typeof loader>()}
      lastResult={actionData}
      busy={useNavigation().state === "submitting"}
    >
      {(codeFields) => <NewPasswordField label={t("fields.newPassword")} field={codeFields.password} hint={t("fields.passwordHint")} />}
    </CodeFlow>
  );
}
