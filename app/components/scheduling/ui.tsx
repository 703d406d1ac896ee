// Scheduling's own pieces (the generic ones are in ~/components/ui).
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Badge, type BadgeTone } from "~/components/ui/feedback";
import { Button, SelectField } from "~/components/ui/forms";

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
  return (
    <Form method="post" action={action} className={compact ? "flex flex-wrap items-end gap-2" : "flex flex-wrap items-end gap-3"}>
      <input type="hidden" name="intent" value="timezone" />
      <div className="min-w-[14rem] flex-1">
        <SelectField label={t("tz.yours")} name="timeZone" id={`tz-${action ?? "here"}`} defaultValue={current}>
          <ZoneOptions zones={zones} />
        </SelectField>
      </div>
      <Button type="submit" variant="secondary">
        {t("tz.save")}
      </Button>
    </Form>
  );
}

const STATUS_TONE: Record<string, BadgeTone> = { confirmed: "success", scheduled: "success", live: "error", cancelled: "muted", ended: "neutral" };

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("scheduling");
  return <Badge tone={STATUS_TONE[status] ?? "neutral"}>{t(`status.${status}`)}</Badge>;
}
