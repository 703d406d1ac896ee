import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Notice } from "~/components/ui/feedback";
import { Button, TextField } from "~/components/ui/forms";
import { checkCredentials, clientIp, createSessionCookie, getUser } from "~/domains/auth/session.server";
import { fieldErrors, loginSchema, safeRedirect } from "~/domains/auth/validation";
import { retryAfterHeaders } from "~/domains/auth/http.server";

export const headers = retryAfterHeaders;

export const meta: MetaFunction = () => [{ title: "Log in · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/dashboard");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const parsed = loginSchema.safeParse(form);
  const login = typeof form.login === "string" ? form.login : "";
  if (!parsed.success) {
    return data({ errors: fieldErrors(parsed.error), formError: null, login: login.slice(0, 300) }, { status: 400 });
  }
  const result = await checkCredentials(parsed.data.login, parsed.data.password, clientIp(request));
  if (!result.ok) {
    if (result.reason === "throttled") {
      const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60));
      return data(
        { errors: {}, formError: "login.throttled", minutes, login },
        { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
      );
    }
    return data({ errors: {}, formError: "login.invalid", login }, { status: 401 });
  }
  const cookie = await createSessionCookie(result.userId, request);
  throw redirect(safeRedirect(parsed.data.redirectTo), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const { t } = useTranslation("auth");
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.errors as Record<string, string | undefined> | undefined;
  return (
    <div className="mx-auto max-w-md px-4 py-8 sm:py-12">
      <h1 className="text-2xl font-bold">{t("login.title")}</h1>
      <Form method="post" className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
        {actionData?.formError ? <Notice tone="error">{t(actionData.formError, { minutes: "minutes" in actionData ? actionData.minutes : 15 })}</Notice> : null}
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/dashboard"} />
        <TextField
          label={t("fields.login")}
          name="login"
          autoComplete="username"
          inputMode="email"
          required
          defaultValue={actionData?.login}
          error={errors?.login ? t(errors.login) : undefined}
        />
        <TextField
          label={t("fields.password")}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={errors?.password ? t(errors.password) : undefined}
        />
        <Button type="submit" className="w-full" disabled={busy}>{t("login.submit")}</Button>
        <div className="flex flex-wrap justify-between gap-2 text-sm">
          <Link to="/login/code" className="font-medium text-brand-600 underline">{t("login.codeLink")}</Link>
          <Link to="/reset-password" className="font-medium text-brand-600 underline">{t("login.forgot")}</Link>
        </div>
      </Form>
      <p className="mt-4 text-center text-sm text-slate-600">
        {t("login.noAccount")} <Link to={params.get("redirectTo") ? `/signup?redirectTo=${encodeURIComponent(params.get("redirectTo") ?? "")}` : "/signup"} className="font-medium text-brand-600 underline">{t("login.signupLink")}</Link>
      </p>
    </div>
  );
}
