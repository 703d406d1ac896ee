import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, FormAlert, TextField } from "~/components/ui/forms";
import { EmailTakenError, createSessionCookie, getUser, signUp } from "~/domains/auth/session.server";
import { fieldErrors, signupSchema } from "~/domains/auth/validation";
import { i18next } from "~/i18next.server";

export const meta: MetaFunction = () => [{ title: "Sign up · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/dashboard");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const values = {
    name: typeof form.name === "string" ? form.name : "",
    email: typeof form.email === "string" ? form.email : "",
  };
  const parsed = signupSchema.safeParse(form);
  if (!parsed.success) {
    return data({ errors: fieldErrors(parsed.error), formError: null, values }, { status: 400 });
  }
  try {
    const user = await signUp({ ...parsed.data, locale: await i18next.getLocale(request) });
    const cookie = await createSessionCookie(user.id);
    throw redirect("/dashboard", { headers: { "Set-Cookie": cookie } });
  } catch (err) {
    if (err instanceof EmailTakenError) {
      return data({ errors: { email: "signup.emailTaken" }, formError: null, values }, { status: 409 });
    }
    throw err;
  }
}

export default function Signup() {
  const { t } = useTranslation("auth");
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.errors as Record<string, string | undefined> | undefined;
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold">{t("signup.title")}</h1>
      <Form method="post" className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
        {actionData?.formError ? <FormAlert>{t(actionData.formError)}</FormAlert> : null}
        <TextField
          label={t("fields.name")}
          name="name"
          autoComplete="name"
          required
          defaultValue={actionData?.values.name}
          error={errors?.name ? t(errors.name) : undefined}
        />
        <TextField
          label={t("fields.email")}
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={actionData?.values.email}
          error={errors?.email ? t(errors.email) : undefined}
        />
        <TextField
          label={t("fields.password")}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint={t("fields.passwordHint")}
          error={errors?.password ? t(errors.password) : undefined}
        />
        <Button type="submit" className="w-full" disabled={busy}>{t("signup.submit")}</Button>
      </Form>
      <p className="mt-4 text-center text-sm text-slate-600">
        {t("signup.haveAccount")} <Link to="/login" className="font-medium text-brand-600 underline">{t("signup.loginLink")}</Link>
      </p>
    </div>
  );
}
