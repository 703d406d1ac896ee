import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, TextField } from "~/components/ui/forms";
import { checkCredentials, clientIp, createSessionCookie, getUser } from "~/domains/auth/session.server";
import { loginSchema, safeRedirect } from "~/domains/auth/validation";
import { retryAfterHeaders, throttled } from "~/domains/auth/http.server";
import { parseForm, withFormError } from "~/utils/forms.server";

export const headers = retryAfterHeaders;

export const meta: MetaFunction = () => [{ title: "Log in · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/dashboard");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = await parseForm(request, loginSchema);
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  const reply = submission.reply({ hideFields: ["password"] });
  const result = await checkCredentials(submission.value.login, submission.value.password, clientIp(request));
  if (!result.ok) {
    if (result.reason === "throttled") return throttled(result.retryAfterSeconds, reply, "login.throttled");
    return data(withFormError(reply, "login.invalid"), { status: 401 });
  }
  const cookie = await createSessionCookie(result.userId, request);
  throw redirect(safeRedirect(submission.value.redirectTo), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const { t } = useTranslation("auth");
  const actionData = useActionData<typeof action>();
  const [form, fields] = useConformForm({ id: "login", lastResult: actionData });
  const minutes = actionData && "minutes" in actionData ? actionData.minutes : 15;
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="mx-auto max-w-md px-4 py-8 sm:py-12">
      <h1 className="text-2xl font-bold">{t("login.title")}</h1>
      {/* noValidate: an empty field gets the server's own message, in the page's language. */}
      <ConformForm form={form} t={(key) => t(key, { minutes })} method="post" className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/dashboard"} />
        <TextField label={t("fields.login")} field={fields.login} autoComplete="username" inputMode="email" required />
        <TextField label={t("fields.password")} field={fields.password} type="password" autoComplete="current-password" required />
        <Button type="submit" className="w-full" disabled={busy}>{t("login.submit")}</Button>
        <div className="flex flex-wrap justify-between gap-2 text-sm">
          <Link to="/login/code" className="font-medium text-brand-600 underline">{t("login.codeLink")}</Link>
          <Link to="/reset-password" className="font-medium text-brand-600 underline">{t("login.forgot")}</Link>
        </div>
      </ConformForm>
      <p className="mt-4 text-center text-sm text-slate-600">
        {t("login.noAccount")} <Link to={params.get("redirectTo") ? `/signup?redirectTo=${encodeURIComponent(params.get("redirectTo") ?? "")}` : "/signup"} className="font-medium text-brand-600 underline">{t("login.signupLink")}</Link>
      </p>
    </div>
  );
}
