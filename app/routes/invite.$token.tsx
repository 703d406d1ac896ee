import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formErrorReply, parseForm, withFormError } from "~/utils/forms.server";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button } from "~/components/ui/forms";
import { invitationAcceptLimiter } from "~/domains/auth/limits.server";
import { clientIp, createSessionCookie } from "~/domains/auth/session.server";
import { passwordSchema, invitePasswordSchema } from "~/domains/auth/validation";
import { acceptInvitation, findInvitation } from "~/domains/schools/invitations.server";
import { maskPhone } from "~/utils/mask";
import { i18next } from "~/i18next.server";
import { DEFAULT_TIME_ZONE, formatDate } from "~/utils/datetime";
import { NewPasswordWithConfirm } from "~/components/auth/PasswordFields";

export const meta: MetaFunction = () => [{ title: "Invitation · SkillRelay" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { state, invitation } = await findInvitation(params.token ?? "");
  const locale = await i18next.getLocale(request);
  // The link is the secret: never let it leak through a Referer to another site.
  const headers = { "Referrer-Policy": "no-referrer", "Cache-Control": "private, no-store" };
  if (state !== "valid" || !invitation) return data({ state, invitation: null }, { status: state === "missing" ? 404 : 410, headers });
  return data(
    {
      state,
      invitation: {
        name: invitation.name,
        orgName: invitation.orgName,
        login: invitation.phone ? maskPhone(invitation.phone) : (invitation.email ?? ""),
        loginKind: invitation.phone ? ("phone" as const) : ("email" as const),
        expires: formatDate(invitation.expiresAt, { locale, timeZone: DEFAULT_TIME_ZONE }),
      },
    },
    { headers },
  );
}


export async function action({ request, params }: ActionFunctionArgs) {
  // Limited per client address before anything is looked up; then the token, so a wrong or
  // spent link costs a look-up, never a password hash.
  const limit = await invitationAcceptLimiter.consume(clientIp(request));
  if (!limit.ok) {
    return data(formErrorReply("invite.throttled"), { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } });
  }
  const token = params.token ?? "";
  const { state } = await findInvitation(token);
  if (state !== "valid") return data(formErrorReply("invite.spent"), { status: state === "missing" ? 404 : 410 });
  const submission = await parseForm(request, invitePasswordSchema);
  const reply = submission.reply({ hideFields: ["password", "confirm"] });
  if (submission.status !== "success") return data(reply, { status: 400 });
  const result = await acceptInvitation(token, submission.value.password);
  if (!result.ok) return data(withFormError(reply, "invite.spent"), { status: 410 });
  const cookie = await createSessionCookie(result.userId);
  throw redirect("/dashboard", { headers: { "Set-Cookie": cookie } });
}

export default function AcceptInvitation() {
  const { t } = useTranslation("schools");
  const { t: ta } = useTranslation("auth");
  const { state, invitation } = useLoaderData<typeof loader>();
  const [form, fields] = useConformForm({ id: "invite", lastResult: useActionData<typeof action>() });
  const busy = useNavigation().state === "submitting";
  // Password rules come from the auth namespace (errors.passwordTooShort …), ours from schools.
  const message = (key: string) => (key.startsWith("errors.") ? ta(key) : t(key));
  if (!invitation) {
    return (
      <div className="mx-auto max-w-md px-4 py-16 text-center">
        <h1 className="text-2xl font-bold">{t(`invite.${state}Title`)}</h1>
        <p className="mt-2 text-slate-600">{t(`invite.${state}Body`)}</p>
        <Link to="/login" className="mt-6 inline-block rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">{t("invite.toLogin")}</Link>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <p className="text-sm font-semibold text-brand-600">{invitation.orgName}</p>
      <h1 className="mt-1 text-2xl font-bold">{t("invite.title", { name: invitation.name })}</h1>
      <p className="mt-2 text-slate-600">{t("invite.lead", { org: invitation.orgName })}</p>
      <ConformForm form={form} t={message} method="post" className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
        <p className="text-sm text-slate-700">{t(invitation.loginKind === "phone" ? "invite.loginPhone" : "invite.loginEmail", { login: invitation.login })}</p>
        <NewPasswordWithConfirm
          label={t("invite.password")}
          confirmLabel={t("invite.confirm")}
          hint={t("invite.passwordHint")}
          password={fields.password}
          confirm={fields.confirm}
        />
        <Button type="submit" className="w-full" disabled={busy}>{t("invite.submit")}</Button>
        <p className="text-xs text-slate-500">{t("invite.expires", { date: invitation.expires })}</p>
      </ConformForm>
    </div>
  );
}
