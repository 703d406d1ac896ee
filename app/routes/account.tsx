import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CodeStep } from "~/components/auth/CodeStep";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Notice } from "~/components/ui/feedback";
import { Button, TextField } from "~/components/ui/forms";
import { changePassword, completeVerification, startVerification, verificationState } from "~/domains/auth/accounts.server";
import { describeTicket } from "~/domains/auth/codes.server";
import { codeFailure, formString, throttled, retryAfterHeaders } from "~/domains/auth/http.server";
import { clientIp, endOtherSessions, endSession, getAuth, listSessions, requireUser, sessionHandle } from "~/domains/auth/session.server";
import { changePasswordSchema, codeFormSchema, ticketSchema } from "~/domains/auth/validation";
import { describeUserAgent } from "~/domains/auth/user-agent";
import { maskPhone } from "~/utils/mask";
import { useRootData } from "~/utils/use-root";
import { formatDateTime } from "~/utils/datetime";
import { formErrorReply, parseForm, type FormReply } from "~/utils/forms.server";
import { readForm } from "~/utils/input.server";
import { NewPasswordField } from "~/components/auth/PasswordFields";

export const headers = retryAfterHeaders;

export const meta: MetaFunction = () => [{ title: "Your account · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { session } = await getAuth(request);
  const [state, sessions] = await Promise.all([verificationState(user.id), listSessions(user.id)]);
  const ticketParam = new URL(request.url).searchParams.get("ticket");
  let verify: { ticket: string; channel: "email" | "sms"; masked: string } | null = null;
  if (ticketParam && ticketSchema.safeParse(ticketParam).success) {
    const email = await describeTicket(ticketParam, "verify_email");
    const phone = email ? null : await describeTicket(ticketParam, "verify_phone");
    const d = email ?? phone;
    if (d && d.open && d.userId === user.id) verify = { ticket: ticketParam, channel: d.channel, masked: d.masked };
  }
  return {
    email: state.email,
    phone: state.phone ? maskPhone(state.phone) : null,
    emailVerified: state.emailVerified,
    phoneVerified: state.phoneVerified,
    verify,
    sessions: sessions.map((s) => ({
      handle: s.handle,
      current: s.id === session?.id,
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      device: describeUserAgent(s.userAgent),
    }))
    // This session first.
    .sort((a, b) => Number(b.current) - Number(a.current)),
  };
}

// Every answer is a form reply tagged with the form it belongs to (`for`: the intent), so each
// of the page's forms shows only its own errors; `notice` is a success message.
const answer = (intent: string, reply: FormReply, init?: ResponseInit & { notice?: string }) => data({ ...reply, for: intent, notice: init?.notice ?? null }, init);
const tagged = <T extends object>(intent: string, response: { data: T; init: ResponseInit | null }) => data({ ...response.data, for: intent, notice: null }, response.init ?? undefined);

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { session } = await getAuth(request);
  const form = await readForm(request);
  const intent = formString(form, "intent");
  const ip = clientIp(request);

  if (intent === "send-code") {
    const channel = formString(form, "channel") === "sms" ? "sms" : "email";
    const started = await startVerification(user, channel, ip);
    if (!started.ok && "reason" in started) return answer(intent, formErrorReply("errors.nothingToVerify"), { status: 400 });
    if (!started.ok) return tagged(intent, throttled(started.retryAfterSeconds, {}));
    throw redirect(`/account?ticket=${started.ticket}#verify`);
  }
  if (intent === "code") {
    const ticket = ticketSchema.safeParse(formString(form, "ticket"));
    if (!ticket.success) throw redirect("/account");
    const submission = await parseForm(form, codeFormSchema);
    if (submission.status !== "success") return answer(intent, submission.reply(), { status: 400 });
    const result = await completeVerification(user.id, ticket.data, submission.value.code, ip);
    if (!result.ok) return tagged(intent, codeFailure(result, submission.reply()));
    throw redirect("/account?verified=1");
  }
  if (intent === "change-password") {
    const submission = await parseForm(form, changePasswordSchema);
    const hideFields = ["current", "password"];
    if (submission.status !== "success") return answer(intent, submission.reply({ hideFields }), { status: 400 });
    const result = await changePassword(user.id, session!.id, submission.value.current, submission.value.password);
    if (!result.ok && result.reason === "throttled") return tagged(intent, throttled(result.retryAfterSeconds, submission.reply({ hideFields })));
    if (!result.ok) return answer(intent, submission.reply({ hideFields, fieldErrors: { current: ["errors.currentPasswordWrong"] } }), { status: 400 });
    return answer(intent, submission.reply({ resetForm: true }), { notice: "account.passwordChanged" });
  }
  if (intent === "end-others") {
    await endOtherSessions(user.id, session!.id, "sessions_ended");
    return answer(intent, {}, { notice: "account.othersEnded" });
  }
  if (intent === "end-session") {
    const handle = formString(form, "session");
    if (!handle || handle.length > 40 || handle === sessionHandle(session!.id)) return answer(intent, formErrorReply("errors.sessionNotFound"), { status: 400 });
    if (!(await endSession(user.id, handle))) return answer(intent, formErrorReply("errors.sessionNotFound"), { status: 404 });
    return answer(intent, {}, { notice: "account.sessionEnded" });
  }
  return answer(intent, formErrorReply("errors.unknownAction"), { status: 400 });
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6">
      <h2 id={`${id}-title`} className="text-lg font-semibold">{title}</h2>
      <div className="mt-3 space-y-3">{children}</div>
    </section>
  );
}

export default function Account() {
  const { t } = useTranslation("auth");
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { locale, timeZone } = useRootData();
  const nav = useNavigation();
  const busy = nav.state === "submitting";
  const minutes = actionData && "minutes" in actionData ? actionData.minutes : 15;
  const mine = (intent: string) => (actionData?.for === intent ? actionData : undefined);
  const [passwordForm, passwordFields] = useConformForm({ id: "change-password", lastResult: mine("change-password") });
  // The answers of the button-only forms (send a code, end a session): a Notice at the top.
  const pageError = actionData && actionData.for !== "code" && actionData.for !== "change-password" ? actionData.error?.[""]?.[0] : undefined;
  const when = (iso: string) => formatDateTime(iso, { locale, timeZone });
  const pending = (intent: string) => busy && nav.formData?.get("intent") === intent;

  return (
    <div className="mx-auto max-w-2xl space-y-6 px-4 py-8 sm:py-10">
      <h1 className="text-2xl font-bold">{t("account.title")}</h1>
      {params.get("verified") ? <Notice tone="success">{t("account.verifiedNotice")}</Notice> : null}
      {params.get("reset") ? <Notice tone="success">{t("account.resetNotice")}</Notice> : null}
      {actionData?.notice ? <Notice tone="success">{t(actionData.notice)}</Notice> : null}
      {pageError ? <Notice tone="error">{t(pageError, { minutes })}</Notice> : null}

      <Section id="verify" title={t("account.verifyTitle")}>
        <p className="text-sm text-slate-600">{t("account.verifyIntro")}</p>
        <ul className="space-y-3">
          {d.email ? (
            <li className="flex flex-wrap items-center justify-between gap-2">
              <span className="break-all">
                {d.email} · <strong data-testid="email-status">{t(d.emailVerified ? "account.verified" : "account.unverified")}</strong>
              </span>
              {d.emailVerified ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="send-code" />
                  <input type="hidden" name="channel" value="email" />
                  <Button type="submit" disabled={busy}>{t("account.sendEmailCode")}</Button>
                </Form>
              )}
            </li>
          ) : null}
          {d.phone ? (
            <li className="flex flex-wrap items-center justify-between gap-2">
              <span>
                {d.phone} · <strong data-testid="phone-status">{t(d.phoneVerified ? "account.verified" : "account.unverified")}</strong>
              </span>
              {d.phoneVerified ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="send-code" />
                  <input type="hidden" name="channel" value="sms" />
                  <Button type="submit" disabled={busy}>{t("account.sendSmsCode")}</Button>
                </Form>
              )}
            </li>
          ) : null}
        </ul>
        {d.verify ? (
          <CodeStep
            ticket={d.verify.ticket}
            channel={d.verify.channel}
            masked={d.verify.masked}
            lastResult={mine("code")}
            startOver="/account"
            submitLabel={t("account.verifySubmit")}
            busy={pending("code")}
          />
        ) : null}
      </Section>

      <Section id="password" title={t("account.passwordTitle")}>
        <ConformForm form={passwordForm} t={(key) => t(key, { minutes })} method="post" className="space-y-4" noValidate>
          <input type="hidden" name="intent" value="change-password" />
          <TextField label={t("fields.currentPassword")} field={passwordFields.current} type="password" autoComplete="current-password" required />
          <NewPasswordField label={t("fields.newPassword")} field={passwordFields.password} hint={t("account.passwordHint")} />
          <Button type="submit" disabled={pending("change-password")}>{t("account.changePassword")}</Button>
        </ConformForm>
      </Section>

      <Section id="sessions" title={t("account.sessionsTitle")}>
        <ul className="divide-y divide-slate-200" data-testid="sessions">
          {d.sessions.map((s) => (
            <li key={s.handle} className="flex flex-wrap items-start justify-between gap-2 py-3" data-testid="session-row" data-current={s.current ? "true" : undefined}>
              <div className="min-w-0 text-sm">
                <p className="font-medium break-words">
                  {s.device ?? t("account.unknownDevice")}
                  {s.current ? <span className="ml-2 rounded bg-brand-100 px-2 py-0.5 text-xs font-semibold text-brand-800">{t("account.thisSession")}</span> : null}
                </p>
                <p className="text-slate-600">
                  {t("account.sessionTimes", { created: when(s.createdAt), used: when(s.lastUsedAt), expires: when(s.expiresAt) })}
                </p>
              </div>
              {s.current ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="end-session" />
                  <input type="hidden" name="session" value={s.handle} />
                  <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-brand-500/40">
                    {t("account.endSession")}
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        {d.sessions.length > 1 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="end-others" />
            <Button type="submit" disabled={pending("end-others")}>{t("account.endOthers")}</Button>
          </Form>
        ) : (
          <p className="text-sm text-slate-600">{t("account.onlyThisSession")}</p>
        )}
      </Section>
    </div>
  );
}
