import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CodeStep } from "~/components/auth/CodeStep";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, TextField } from "~/components/ui/forms";
import { completePasswordReset, startPasswordReset } from "~/domains/auth/accounts.server";
import { codeFailure, codeStepOf, formString, throttled, retryAfterHeaders } from "~/domains/auth/http.server";
import { clientIp, createSessionCookie } from "~/domains/auth/session.server";
import { loginStartSchema, resetCodeFormSchema, ticketSchema } from "~/domains/auth/validation";
import { i18next } from "~/i18next.server";
import { parseForm } from "~/utils/forms.server";
import { readForm } from "~/utils/input.server";

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
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useConformForm({ id: "reset", lastResult: actionData });
  const minutes = actionData && "minutes" in actionData ? actionData.minutes : 15;
  const busy = useNavigation().state === "submitting";
  return (
    <div className="mx-auto max-w-md px-4 py-8 sm:py-12">
      <h1 className="text-2xl font-bold">{t("reset.title")}</h1>
      {loaderData.step === "code" ? (
        <CodeStep
          ticket={loaderData.ticket}
          channel={loaderData.channel}
          masked={loaderData.masked}
          lastResult={actionData}
          startOver="/reset-password"
          submitLabel={t("reset.submit")}
          busy={busy}
        >
          {(codeFields) => (
            <TextField
              label={t("fields.newPassword")}
              field={codeFields.password}
              type="password"
              autoComplete="new-password"
              required
              minLength={8}
              hint={t("fields.passwordHint")}
            />
          )}
        </CodeStep>
      ) : (
        <ConformForm form={form} t={(key) => t(key, { minutes })} method="post" className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
          <p className="text-sm text-slate-600">{t("reset.intro")}</p>
          <input type="hidden" name="intent" value="start" />
          <TextField label={t("fields.login")} field={fields.login} autoComplete="username" required />
          <Button type="submit" className="w-full" disabled={busy}>{t("reset.send")}</Button>
        </ConformForm>
      )}
      <p className="mt-4 text-center text-sm text-slate-600">
        <Link to="/login" className="font-medium text-brand-600 underline">{t("loginCode.withPassword")}</Link>
      </p>
    </div>
  );
}
