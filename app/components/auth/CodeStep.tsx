import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Notice } from "~/components/ui/feedback";
import { Button, TextField } from "~/components/ui/forms";

/** "We sent a code to …": the code field (plus any extra fields) for one ticket. */
export function CodeStep({
  ticket,
  channel,
  masked,
  error,
  formError,
  startOver,
  submitLabel,
  busy,
  children,
  action,
}: {
  ticket: string;
  channel: "email" | "sms";
  masked: string;
  error?: string;
  formError?: string | null;
  startOver: string;
  submitLabel: string;
  busy: boolean;
  children?: React.ReactNode;
  action?: string;
}) {
  const { t } = useTranslation("auth");
  return (
    <Form method="post" action={action} className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
      <p className="text-sm text-slate-700" data-testid="code-sent">
        {t(channel === "sms" ? "code.sentSms" : "code.sentEmail", { target: masked })}
      </p>
      {formError ? <Notice tone="error">{formError}</Notice> : null}
      <input type="hidden" name="intent" value="code" />
      <input type="hidden" name="ticket" value={ticket} />
      <TextField
        label={t("fields.code")}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        maxLength={7}
        required
        autoFocus
        error={error}
      />
      {children}
      <Button type="submit" className="w-full" disabled={busy}>{submitLabel}</Button>
      <p className="text-center text-sm text-slate-600">
        {t("code.noCode")} <Link to={startOver} className="font-medium text-brand-600 underline">{t("code.startOver")}</Link>
      </p>
    </Form>
  );
}
