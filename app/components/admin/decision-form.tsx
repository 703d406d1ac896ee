// An administrator's decision on an application (expert, organisation): approve with a button,
// or refuse with a reason, as one Conform form (decision 031). Approving skips the reason's
// `required` (formNoValidate); the action's refusals show at the top of this form, a missing
// reason on its field.
import { useTranslation } from "react-i18next";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, ConfirmButton, TextField } from "~/components/ui/forms";

export function DecisionForm({
  id,
  lastResult,
  hidden = {},
  approve,
  reject,
}: {
  id: string;
  /** The action's data (a reply for another form on the page is passed as undefined). */
  lastResult: unknown;
  hidden?: Record<string, string>;
  /** The approving button (its intent and label), or null when there is nothing to approve. */
  approve: { intent: string; label: string } | null;
  reject: { label: string; question: string; confirmLabel: string };
}) {
  const { t } = useTranslation("admin");
  const [form, fields] = useConformForm<{ reason: string }>({ id, lastResult });
  return (
    <ConformForm form={form} t={t} method="post" className="flex flex-col gap-4 sm:flex-row sm:items-end">
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      {approve ? (
        <Button type="submit" name="intent" value={approve.intent} formNoValidate>
          {approve.label}
        </Button>
      ) : null}
      <div className="flex flex-1 flex-col gap-2 sm:flex-row sm:items-end">
        <div className="flex-1">
          <TextField label={t("experts.reason")} field={fields.reason} required maxLength={1000} />
        </div>
        <ConfirmButton label={reject.label} question={reject.question} confirmLabel={reject.confirmLabel} value="reject" />
      </div>
    </ConformForm>
  );
}
