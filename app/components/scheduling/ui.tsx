// Scheduling's own pieces (the generic ones are in ~/components/ui).
import { useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Badge, type BadgeTone } from "~/components/ui/feedback";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, SelectField } from "~/components/ui/forms";
import type { TimeZoneInput } from "~/domains/scheduling/validation";

export interface ZoneOptionView {
  value: string;
  offset: string;
}

export function ZoneOptions({ zones }: { zones: ZoneOptionView[] }) {
  const { t } = useTranslation("scheduling");
  return (
    <>
      {zones.map((z) => (
        <option key={z.value} value={z.value}>
          {`${t(`zones.${z.value}`, { defaultValue: z.value.replace(/_/g, " ") })} (${z.offset})`}
        </option>
      ))}
    </>
  );
}

/** A small form that changes the viewer's own time zone and comes back to the same page. */
export function TimeZoneForm({ current, zones, action, compact = false }: { current: string; zones: ZoneOptionView[]; action?: string; compact?: boolean }) {
  const { t } = useTranslation("scheduling");
  // The page's action answers its other forms too: only a reply to this one is ours.
  const result = useActionData<Record<string, unknown>>();
  const values = result && "initialValue" in result ? (result.initialValue as Record<string, unknown> | null) : null;
  const [form, fields] = useConformForm<TimeZoneInput>({ id: `tz-form-${action ?? "here"}`, lastResult: values?.intent === "timezone" ? result : undefined, defaultValue: { timeZone: current } });
  return (
    <ConformForm form={form} t={t} method="post" action={action} className={compact ? "flex flex-wrap items-end gap-2" : "flex flex-wrap items-end gap-3"}>
      <input type="hidden" name="intent" value="timezone" />
      <div className="min-w-[14rem] flex-1">
        <SelectField label={t("tz.yours")} field={fields.timeZone} id={`tz-${action ?? "here"}`}>
          <ZoneOptions zones={zones} />
        </SelectField>
      </div>
      <Button type="submit" variant="secondary">
        {t("tz.save")}
      </Button>
    </ConformForm>
  );
}

const STATUS_TONE: Record<string, BadgeTone> = { confirmed: "success", scheduled: "success", live: "error", cancelled: "muted", ended: "neutral" };

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("scheduling");
  return <Badge tone={STATUS_TONE[status] ?? "neutral"}>{t(`status.${status}`)}</Badge>;
}
