import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, TextField } from "~/components/ui/forms";

/**
 * "We sent a code to …": the code field for one ticket. `lastResult` is the action's reply;
 * `children(fields)` adds fields of the same form (the reset's new password).
 */
export function CodeStep({
  ticket,
  channel,
  masked,
  lastResult,
  startOver,
  submitLabel,
  busy,
  children,
  action,
}: {
  ticket: string;
  channel: "email" | "sms";
  masked: string;
  lastResult: unknown;
  startOver: string;
  submitLabel: string;
  busy: boolean;
  children?: (fields: ReturnType<typeof useConformForm>[1]) => React.ReactNode;
  action?: string;
}) {
  const { t } = useTranslation("auth");
  const [form, fields] = useConformForm({ id: "code-step", lastResult });
  const minutes = lastResult && typeof lastResult === "object" && "minutes" in lastResult ? lastResult.minutes : 15;
  return (
    <ConformForm form={form} t={(key) => t(key, { minutes })} method="post" action={action} className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
      <p className="text-sm text-slate-700" data-testid="code-sent">
        {t(channel === "sms" ? "code.sentSms" : "code.sentEmail", { target: masked })}
      </p>
      <input type="hidden" name="intent" value="code" />
      <input type="hidden" name="ticket" value={ticket} />
      <TextField
        label={t("fields.code")}
        field={fields.code}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        maxLength={7}
        required
        autoFocus
      />
      {children?.(fields)}
      <Button type="submit" className="w-full" disabled={busy}>{submitLabel}</Button>
      <p className="text-center text-sm text-slate-600">
        {t("code.noCode")} <Link to={startOver} className="font-medium text-brand-600 underline">{t("code.startOver")}</Link>
      </p>
    </ConformForm>
  );
}

type CodeFlowStep = { step: "start" } | { step: "code"; ticket: string; channel: "email" | "sms"; masked: string };

/**
 * A page in two steps (log in by code, reset the password): the e-mail or phone, then the code
 * sent to it (`codeStepOf` in the loader gives `step`). `children` as in CodeStep.
 */
export function CodeFlow({
  formId,
  title,
  intro,
  sendLabel,
  submitLabel,
  startOver,
  step,
  lastResult,
  busy,
  children,
}: {
  formId: string;
  title: string;
  intro: string;
  sendLabel: string;
  submitLabel: string;
  startOver: string;
  step: CodeFlowStep;
  lastResult: unknown;
  busy: boolean;
  children?: (fields: ReturnType<typeof useConformForm>[1]) => React.ReactNode;
}) {
  const { t } = useTranslation("auth");
  const [form, fields] = useConformForm({ id: formId, lastResult });
  const minutes = lastResult && typeof lastResult === "object" && "minutes" in lastResult ? lastResult.minutes : 15;
  return (
    <div className="mx-auto max-w-md px-4 py-8 sm:py-12">
      <h1 className="text-2xl font-bold">{title}</h1>
      {step.step === "code" ? (
        <CodeStep ticket={step.ticket} channel={step.channel} masked={step.masked} lastResult={lastResult} startOver={startOver} submitLabel={submitLabel} busy={busy}>
          {children}
        </CodeStep>
      ) : (
        <ConformForm form={form} t={(key) => t(key, { minutes })} method="post" className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
          <p className="text-sm text-slate-600">{intro}</p>
          <input type="hidden" name="intent" value="start" />
          <TextField label={t("fields.login")} field={fields.login} autoComplete="username" required />
          <Button type="submit" className="w-full" disabled={busy}>{sendLabel}</Button>
        </ConformForm>
      )}
      <p className="mt-4 text-center text-sm text-slate-600">
        <Link to="/login" className="font-medium text-brand-600 underline">{t("loginCode.withPassword")}</Link>
      </p>
    </div>
  );
}
