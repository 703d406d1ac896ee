import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, FormAlert, TextField } from "~/components/ui/forms";
import { checkCredentials, clientIp, createSessionCookie, getUser } from "~/domains/auth/session.server";
import { fieldErrors, loginSchema, safeRedirect } from "~/domains/auth/validation";

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
    return data({ errors: fieldErrors(parsed.error), formError: null, login }, { status: 400 });
  }
  const result = await checkCredentials(parsed.data.login, parsed.data.password, clientIp(request));
  if (!result.ok) {
    const status = result.reason === "throttled" ? 429 : 401;
    return data({ errors: {}, formError: `login.${result.reason}`, login }, { status });
  }
  const cookie = await createSessionCookie(result.userId);
  throw redirect(safeRedirect(parsed.data.redirectTo), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const { t } = useTranslation("auth");
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.errors as Record<string, string | undefined> | undefined;
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold">{t("login.title")}</h1>
      <Form method="post" className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
        {actionData?.formError ? <FormAlert>{t(actionData.formError)}</FormAlert> : null}
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
      </Form>
      <p className="mt-4 text-center text-sm text-slate-600">
        {t("login.noAccount")} <Link to="/signup" className="font-medium text-brand-600 underline">{t("login.signupLink")}</Link>
      </p>
    </div>
  );
}
