import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CodeStep } from "~/components/auth/CodeStep";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Notice } from "~/components/ui/feedback";
import { Button, TextField } from "~/components/ui/forms";
import { completeSignup, startSignup } from "~/domains/auth/accounts.server";
import { codeFailure, codeStepOf, formString, throttled, retryAfterHeaders } from "~/domains/auth/http.server";
import { clientIp, createSessionCookie, getUser } from "~/domains/auth/session.server";
import { codeFormSchema, safeRedirect, signupStartSchema, ticketSchema } from "~/domains/auth/validation";
import { i18next } from "~/i18next.server";
import { parseForm } from "~/utils/forms.server";
import { readForm } from "~/utils/input.server";
import { NewPasswordField } from "~/components/auth/PasswordFields";

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
  const form = await readForm(request);
  const ip = clientIp(request);
  if (formString(form, "intent") === "code") {
    const ticket = ticketSchema.safeParse(formString(form, "ticket"));
    if (!ticket.success) throw redirect("/signup?expired=1");
    const submission = await parseForm(form, codeFormSchema);
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    const result = await completeSignup(ticket.data, submission.value.code, ip);
    if (!result.ok) return codeFailure(result, submission.reply());
    const cookie = await createSessionCookie(result.userId, request);
    throw redirect(nextOf(request), { headers: { "Set-Cookie": cookie } });
  }

  const submission = await parseForm(form, signupStartSchema);
  const reply = submission.reply({ hideFields: ["password"] });
  if (submission.status !== "success") return data(reply, { status: 400 });
  const started = await startSignup({ ...submission.value, locale: await i18next.getLocale(request), ip });
  if (!started.ok) return throttled(started.retryAfterSeconds, reply);
  // The same answer whether or not the address already has an account.
  const next = nextOf(request);
  throw redirect(`/signup?ticket=${started.ticket}${next === "/dashboard" ? "" : `&redirectTo=${encodeURIComponent(next)}`}`);
}

export default function Signup() {
  const { t } = useTranslation("auth");
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const [form, fields] = useConformForm({ id: "signup", lastResult: actionData });
  const minutes = actionData && "minutes" in actionData ? actionData.minutes : 15;
  const busy = useNavigation().state === "submitting";
  if (loaderData.step === "code") {
    return (
      <div className="mx-auto max-w-md px-4 py-8 sm:py-12">
        <h1 className="text-2xl font-bold">{t("signup.codeTitle")}</h1>
        <CodeStep
          ticket={loaderData.ticket}
          channel={loaderData.channel}
          masked={loaderData.masked}
          lastResult={actionData}
          startOver="/signup"
          submitLabel={t("signup.finish")}
          busy={busy}
        />
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md px-4 py-8 sm:py-12">
      <h1 className="text-2xl font-bold">{t("signup.title")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("signup.intro")}</p>
      <ConformForm form={form} t={(key) => t(key, { minutes })} method="post" className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
        {!form.errors && params.get("expired") ? <Notice tone="error">{t("errors.codeSpent")}</Notice> : null}
        <input type="hidden" name="intent" value="start" />
        <TextField label={t("fields.name")} field={fields.name} autoComplete="name" required />
        <TextField label={t("fields.login")} field={fields.login} autoComplete="username" required hint={t("fields.loginHint")} />
        <NewPasswordField label={t("fields.password")} field={fields.password} hint={t("fields.passwordHint")} />
        <Button type="submit" className="w-full" disabled={busy}>{t("signup.submit")}</Button>
      </ConformForm>
      <p className="mt-4 text-center text-sm text-slate-600">
        {t("signup.haveAccount")} <Link to={params.get("redirectTo") ? `/login?redirectTo=${encodeURIComponent(params.get("redirectTo") ?? "")}` : "/login"} className="font-medium text-brand-600 underline">{t("signup.loginLink")}</Link>
      </p>
    </div>
  );
}
