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
