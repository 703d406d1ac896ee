import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/domains/auth/session.server";
import {
  addOverride,
  addSessionType,
  addWeeklyWindows,
  clearWeekday,
  deleteOverride,
  deleteWeeklyWindow,
  getAvailabilitySettings,
  setSessionTypeActive,
  updateSettings,
} from "~/domains/scheduling/profile.server";
import { formatCalendarDate, offsetLabel, weekdayName } from "~/utils/datetime";
import { formatClock, todayIn } from "~/domains/scheduling/tz";
import { zoneOptions } from "~/domains/scheduling/zones";
import { fieldErrors, overrideSchema, sessionTypeSchema, settingsSchema, windowSchema } from "~/domains/scheduling/validation";
import { formOf, requestLocale } from "~/domains/scheduling/http.server";
import { ZoneOptions } from "~/components/scheduling/ui";
import { Notice } from "~/components/ui/feedback";
import { Button, SelectField, TextField } from "~/components/ui/forms";
import { Card, EmptyState, Page } from "~/components/ui/layout";

export const meta: MetaFunction = () => [{ title: "Availability · SkillRelay" }];

/** Monday first, as people plan a working week. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];
const NOTICE_OPTIONS = [0, 30, 60, 120, 240, 480, 720, 1440, 2880];
const CUTOFF_OPTIONS = [0, 60, 120, 240, 720, 1440, 2880];
const BUFFER_OPTIONS = [0, 5, 10, 15, 30, 45, 60];
const DURATIONS = [30, 45, 60, 90, 120];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "expert");
  const locale = await requestLocale(request);
  const { profile, rules, overrides, types } = await getAvailabilitySettings(user.id);
  const today = todayIn(profile.timeZone);
  const withCurrent = (list: number[], v: number) => (list.includes(v) ? list : [...list, v].sort((a, b) => a - b));
  return {
    expertId: user.id,
    profile: {
      timeZone: profile.timeZone,
      offset: offsetLabel(profile.timeZone),
      bufferMinutes: profile.bufferMinutes,
      minNoticeMinutes: profile.minNoticeMinutes,
      maxSessionsPerDay: profile.maxSessionsPerDay,
      cancelCutoffMinutes: profile.cancelCutoffMinutes,
    },
    options: {
      notice: withCurrent(NOTICE_OPTIONS, profile.minNoticeMinutes),
      cutoff: withCurrent(CUTOFF_OPTIONS, profile.cancelCutoffMinutes),
      buffer: withCurrent(BUFFER_OPTIONS, profile.bufferMinutes),
    },
    zones: zoneOptions(profile.timeZone),
    today,
    days: WEEK_ORDER.map((weekday) => ({
      weekday,
      name: weekdayName(weekday, locale),
      windows: rules
        .filter((r) => r.weekday === weekday)
        .map((r) => ({ id: r.id, label: `${formatClock(r.startMinute)}–${formatClock(r.endMinute === 1440 ? 1440 : r.endMinute)}` })),
    })),
    overrides: overrides
      .filter((o) => o.date >= today)
      .map((o) => ({
        id: o.id,
        date: formatCalendarDate(o.date, locale),
        kind: o.kind,
        label: o.kind === "extra" && o.startMinute !== null && o.endMinute !== null ? `${formatClock(o.startMinute)}–${formatClock(o.endMinute)}` : null,
      })),
    types: types.map((t) => ({ id: t.id, title: t.title, kind: t.kind, duration: t.durationMinutes, capacity: t.capacity, active: t.active })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "expert");
  const { form, fields, intent } = await formOf(request);
  const fail = (errors: Record<string, string>) => data({ intent, fieldErrors: errors }, { status: 400 });
  const done = (saved: string, hash: string) => redirect(`/schedule/availability?saved=${saved}#${hash}`);

  switch (intent) {
    case "settings": {
      const parsed = settingsSchema.safeParse(fields);
      if (!parsed.success) return fail(fieldErrors(parsed.error));
      await updateSettings(user.id, parsed.data);
      throw done("settings", "settings");
    }
    case "add-window": {
      const parsed = windowSchema.safeParse({ ...fields, weekday: form.getAll("weekday") });
      if (!parsed.success) return fail(fieldErrors(parsed.error));
      const added = await addWeeklyWindows(user.id, parsed.data.weekday, parsed.data.start, parsed.data.end);
      if (!added.ok) return fail({ weekday: "errors.windowOverlap" });
      throw done("hours", "weekly");
    }
    case "delete-window":
      await deleteWeeklyWindow(user.id, fields.id ?? "");
      throw done("hours", "weekly");
    case "clear-day":
      await clearWeekday(user.id, Number(fields.weekday));
      throw done("hours", "weekly");
    case "add-override": {
      const parsed = overrideSchema.safeParse(fields);
      if (!parsed.success) return fail(fieldErrors(parsed.error));
      const added = await addOverride(user.id, parsed.data);
      if (!added.ok) return fail({ date: "errors.overrideInPast" });
      throw done("override", "overrides");
    }
    case "delete-override":
      await deleteOverride(user.id, fields.id ?? "");
      throw done("override", "overrides");
    case "add-type": {
      const parsed = sessionTypeSchema.safeParse(fields);
      if (!parsed.success) return fail(fieldErrors(parsed.error));
      await addSessionType(user.id, parsed.data);
      throw done("type", "types");
    }
    case "toggle-type":
      await setSessionTypeActive(user.id, fields.id ?? "", fields.active === "true");
      throw done("type", "types");
  }
  return fail({ form: "errors.generic" });
}

function duration(t: (k: string, o?: Record<string, unknown>) => string, minutes: number) {
  if (minutes === 0) return t("none");
  if (minutes % 1440 === 0) return t("days", { count: minutes / 1440 });
  if (minutes % 60 === 0) return t("hours", { count: minutes / 60 });
  return t("minutes", { count: minutes });
}

export default function Availability() {
  const { t } = useTranslation("scheduling");
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errs = (intent: string) => (actionData?.intent === intent ? (actionData.fieldErrors as Record<string, string>) : {});
  const err = (intent: string, field: string) => {
    const e = errs(intent)[field];
    return e ? t(e) : undefined;
  };
  const saved = params.get("saved");

  return (
    <Page
      title={t("availability.title")}
      lead={t("availability.lead")}
      actions={
        <>
          <Link to="/schedule/calendar" className="rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-700 hover:bg-slate-50">
            {t("hub.calendar")}
          </Link>
          <Link to={`/schedule/experts/${d.expertId}`} className="rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-700 hover:bg-slate-50">
            {t("availability.preview")}
          </Link>
        </>
      }
    >
      {saved ? <Notice tone="success">{t("availability.saved")}</Notice> : null}

      <Card title={t("availability.settingsTitle")} id="settings">
        <Form method="post" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <input type="hidden" name="intent" value="settings" />
          <div className="sm:col-span-2 lg:col-span-3">
            <SelectField
              label={t("availability.timeZone")}
              name="timeZone"
              defaultValue={d.profile.timeZone}
              hint={t("availability.timeZoneHint")}
              error={err("settings", "timeZone")}
            >
              <ZoneOptions zones={d.zones} />
            </SelectField>
          </div>
          <SelectField label={t("availability.buffer")} name="bufferMinutes" defaultValue={String(d.profile.bufferMinutes)} hint={t("availability.bufferHint")} error={err("settings", "bufferMinutes")}>
            {d.options.buffer.map((m) => (
              <option key={m} value={m}>
                {duration(t, m)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("availability.notice")} name="minNoticeMinutes" defaultValue={String(d.profile.minNoticeMinutes)} hint={t("availability.noticeHint")} error={err("settings", "minNoticeMinutes")}>
            {d.options.notice.map((m) => (
              <option key={m} value={m}>
                {duration(t, m)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("availability.cutoff")} name="cancelCutoffMinutes" defaultValue={String(d.profile.cancelCutoffMinutes)} hint={t("availability.cutoffHint")} error={err("settings", "cancelCutoffMinutes")}>
            {d.options.cutoff.map((m) => (
              <option key={m} value={m}>
                {duration(t, m)}
              </option>
            ))}
          </SelectField>
          <TextField
            label={t("availability.maxPerDay")}
            name="maxSessionsPerDay"
            type="number"
            min={0}
            max={48}
            inputMode="numeric"
            defaultValue={d.profile.maxSessionsPerDay}
            hint={t("availability.maxPerDayHint")}
            error={err("settings", "maxSessionsPerDay")}
          />
          <div className="flex items-end sm:col-span-2 lg:col-span-3">
            <Button type="submit" disabled={busy}>
              {t("availability.saveSettings")}
            </Button>
          </div>
        </Form>
      </Card>

      <Card title={t("availability.weeklyTitle", { zone: d.profile.timeZone, offset: d.profile.offset })} id="weekly">
        <ul className="divide-y divide-slate-100" data-testid="weekly-hours">
          {d.days.map((day) => (
            <li key={day.weekday} className="flex flex-wrap items-center gap-2 py-2" data-testid={`weekday-${day.weekday}`}>
              <span className="w-28 font-medium">{day.name}</span>
              {day.windows.length ? (
                <>
                  {day.windows.map((w) => (
                    <Form method="post" key={w.id} className="inline-flex items-center rounded-full bg-brand-50 pl-3 text-sm text-brand-800">
                      <input type="hidden" name="intent" value="delete-window" />
                      <input type="hidden" name="id" value={w.id} />
                      <span>{w.label}</span>
                      <button type="submit" className="ml-1 rounded-full px-2 py-1 hover:bg-brand-100" aria-label={t("availability.removeWindow", { day: day.name, window: w.label })}>
                        ×
                      </button>
                    </Form>
                  ))}
                  <Form method="post" className="ml-auto">
                    <input type="hidden" name="intent" value="clear-day" />
                    <input type="hidden" name="weekday" value={day.weekday} />
                    <button type="submit" className="text-sm text-slate-500 underline hover:text-red-700">
                      {t("availability.clearDay")}
                    </button>
                  </Form>
                </>
              ) : (
                <span className="text-sm text-slate-500">{t("availability.unavailable")}</span>
              )}
            </li>
          ))}
        </ul>
        <Form method="post" className="mt-4 space-y-3 rounded-lg bg-slate-50 p-4">
          <input type="hidden" name="intent" value="add-window" />
          <fieldset>
            <legend className="text-sm font-medium text-slate-700">{t("availability.addHoursFor")}</legend>
            <div className="mt-2 flex flex-wrap gap-2">
              {d.days.map((day) => (
                <label key={day.weekday} className="inline-flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
                  <input type="checkbox" name="weekday" value={day.weekday} className="h-4 w-4 accent-brand-600" />
                  {day.name}
                </label>
              ))}
            </div>
            {err("add-window", "weekday") ? (
              <p role="alert" className="mt-1 text-sm text-red-600">
                {err("add-window", "weekday")}
              </p>
            ) : null}
          </fieldset>
          <div className="grid grid-cols-2 gap-3 sm:max-w-md">
            <TextField label={t("availability.from")} id="window-start" name="start" type="time" step={900} defaultValue="09:00" required error={err("add-window", "start")} />
            <TextField label={t("availability.to")} id="window-end" name="end" type="time" step={900} defaultValue="17:00" required error={err("add-window", "end")} />
          </div>
          <Button type="submit" disabled={busy}>
            {t("availability.addHours")}
          </Button>
        </Form>
      </Card>

      <Card title={t("availability.overridesTitle")} id="overrides">
        <p className="text-sm text-slate-600">{t("availability.overridesLead")}</p>
        {d.overrides.length ? (
          <ul className="mt-3 divide-y divide-slate-100">
            {d.overrides.map((o) => (
              <li key={o.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  <span className="font-medium">{o.date}</span> ·{" "}
                  {o.kind === "off" ? <span className="text-red-700">{t("availability.dayOff")}</span> : <span className="text-emerald-700">{t("availability.extraHours", { window: o.label })}</span>}
                </span>
                <Form method="post">
                  <input type="hidden" name="intent" value="delete-override" />
                  <input type="hidden" name="id" value={o.id} />
                  <button type="submit" className="text-sm text-slate-500 underline hover:text-red-700">
                    {t("remove")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <div className="mt-3">
            <EmptyState>{t("availability.noOverrides")}</EmptyState>
          </div>
        )}
        <Form method="post" className="mt-4 grid gap-3 rounded-lg bg-slate-50 p-4 sm:grid-cols-2 lg:grid-cols-4">
          <input type="hidden" name="intent" value="add-override" />
          <TextField label={t("availability.date")} id="override-date" name="date" type="date" min={d.today} required error={err("add-override", "date")} />
          <SelectField label={t("availability.overrideKind")} id="override-kind" name="kind" defaultValue="off">
            <option value="off">{t("availability.dayOff")}</option>
            <option value="extra">{t("availability.extraOption")}</option>
          </SelectField>
          <TextField label={t("availability.fromExtra")} id="override-start" name="start" type="time" step={900} error={err("add-override", "start")} />
          <TextField label={t("availability.toExtra")} id="override-end" name="end" type="time" step={900} error={err("add-override", "end")} />
          <div className="sm:col-span-2 lg:col-span-4">
            <Button type="submit" disabled={busy}>
              {t("availability.addOverride")}
            </Button>
          </div>
        </Form>
      </Card>

      <Card title={t("availability.typesTitle")} id="types">
        {d.types.length ? (
          <ul className="divide-y divide-slate-100" data-testid="session-types">
            {d.types.map((ty) => (
              <li key={ty.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span className={ty.active ? "" : "text-slate-400"}>
                  <span className="font-medium">{ty.title}</span> · {t(`kind.${ty.kind}`)} · {t("minutes", { count: ty.duration })}
                  {ty.kind === "group" ? ` · ${t("seats", { count: ty.capacity })}` : ""}
                  {ty.active ? "" : ` · ${t("availability.inactive")}`}
                </span>
                <Form method="post">
                  <input type="hidden" name="intent" value="toggle-type" />
                  <input type="hidden" name="id" value={ty.id} />
                  <input type="hidden" name="active" value={ty.active ? "false" : "true"} />
                  <button type="submit" className="text-sm text-brand-700 underline">
                    {ty.active ? t("availability.deactivate") : t("availability.activate")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>{t("availability.noTypes")}</EmptyState>
        )}
        <Form method="post" className="mt-4 grid gap-3 rounded-lg bg-slate-50 p-4 sm:grid-cols-2 lg:grid-cols-4">
          <input type="hidden" name="intent" value="add-type" />
          <div className="sm:col-span-2">
            <TextField label={t("availability.typeTitle")} id="type-title" name="title" required maxLength={80} placeholder={t("availability.typeTitlePlaceholder")} error={err("add-type", "title")} />
          </div>
          <SelectField label={t("availability.typeKind")} id="type-kind" name="kind" defaultValue="one_to_one">
            <option value="one_to_one">{t("kind.one_to_one")}</option>
            <option value="group">{t("kind.group")}</option>
          </SelectField>
          <SelectField label={t("availability.typeDuration")} name="durationMinutes" defaultValue="60" error={err("add-type", "durationMinutes")} hint={t("availability.typeDurationHint")}>
            {DURATIONS.map((m) => (
              <option key={m} value={m}>
                {t("minutes", { count: m })}
              </option>
            ))}
          </SelectField>
          <TextField label={t("availability.typeCapacity")} id="type-capacity" name="capacity" type="number" min={2} max={500} defaultValue={8} hint={t("availability.typeCapacityHint")} error={err("add-type", "capacity")} />
          <div className="flex items-end sm:col-span-2 lg:col-span-3">
            <Button type="submit" disabled={busy}>
              {t("availability.addType")}
            </Button>
          </div>
        </Form>
      </Card>
    </Page>
  );
}
