import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
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
import { overrideSchema, sessionTypeSchema, settingsSchema, windowSchema, type OverrideInput, type SessionTypeInput, type SettingsInput, type WindowInput } from "~/domains/scheduling/validation";
import { formErrorReply, parseForm, type FormReply } from "~/utils/forms.server";
import { formOf, requestLocale } from "~/domains/scheduling/http.server";
import { ZoneOptions } from "~/components/scheduling/ui";
import { Notice } from "~/components/ui/feedback";
import { ConformForm, useConformForm, useReplyFor } from "~/components/ui/conform-form";
import { Button, CheckboxList, SelectField, TextField } from "~/components/ui/forms";
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
  const done = (saved: string, hash: string) => redirect(`/schedule/availability?saved=${saved}#${hash}`);
  const parse = <S extends z.ZodTypeAny>(schema: S) => parseForm(form, schema, { fallback: "errors.generic" });
  const refuse = (submission: { reply: (o?: { fieldErrors?: Record<string, string[]> }) => FormReply }, fieldErrors?: Record<string, string[]>) =>
    data(submission.reply(fieldErrors ? { fieldErrors } : undefined), { status: 400 });

  switch (intent) {
    case "settings": {
      const submission = await parse(settingsSchema);
      if (submission.status !== "success") return refuse(submission);
      await updateSettings(user.id, submission.value);
      throw done("settings", "settings");
    }
    case "add-window": {
      const submission = await parse(windowSchema);
      if (submission.status !== "success") return refuse(submission);
      const added = await addWeeklyWindows(user.id, submission.value.weekday, submission.value.start, submission.value.end);
      if (!added.ok) return refuse(submission, { weekday: ["errors.windowOverlap"] });
      throw done("hours", "weekly");
    }
    case "delete-window":
      await deleteWeeklyWindow(user.id, fields.id ?? "");
      throw done("hours", "weekly");
    case "clear-day":
      await clearWeekday(user.id, Number(fields.weekday));
      throw done("hours", "weekly");
    case "add-override": {
      const submission = await parse(overrideSchema);
      if (submission.status !== "success") return refuse(submission);
      const added = await addOverride(user.id, submission.value);
      if (!added.ok) return refuse(submission, { date: ["errors.overrideInPast"] });
      throw done("override", "overrides");
    }
    case "delete-override":
      await deleteOverride(user.id, fields.id ?? "");
      throw done("override", "overrides");
    case "add-type": {
      const submission = await parse(sessionTypeSchema);
      if (submission.status !== "success") return refuse(submission);
      await addSessionType(user.id, submission.value);
      throw done("type", "types");
    }
    case "toggle-type":
      await setSessionTypeActive(user.id, fields.id ?? "", fields.active === "true");
      throw done("type", "types");
  }
  return data(formErrorReply("errors.generic"), { status: 400 });
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
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const p = d.profile;
  const [settingsForm, settings] = useConformForm<SettingsInput>({
    id: "settings",
    lastResult: useReplyFor({ intent: "settings" }),
    defaultValue: { timeZone: p.timeZone, bufferMinutes: String(p.bufferMinutes), minNoticeMinutes: String(p.minNoticeMinutes), cancelCutoffMinutes: String(p.cancelCutoffMinutes), maxSessionsPerDay: String(p.maxSessionsPerDay) },
  });
  const [windowForm, windowFields] = useConformForm<WindowInput>({ id: "window", lastResult: useReplyFor({ intent: "add-window" }), defaultValue: { start: "09:00", end: "17:00" } });
  const [overrideForm, override] = useConformForm<OverrideInput>({ id: "override", lastResult: useReplyFor({ intent: "add-override" }), defaultValue: { kind: "off" } });
  const [typeForm, type] = useConformForm<SessionTypeInput>({ id: "type", lastResult: useReplyFor({ intent: "add-type" }), defaultValue: { kind: "one_to_one", durationMinutes: "60", capacity: "8" } });
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
        <ConformForm form={settingsForm} t={t} method="post" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <input type="hidden" name="intent" value="settings" />
          <div className="sm:col-span-2 lg:col-span-3">
            <SelectField label={t("availability.timeZone")} field={settings.timeZone} hint={t("availability.timeZoneHint")}>
              <ZoneOptions zones={d.zones} />
            </SelectField>
          </div>
          <SelectField label={t("availability.buffer")} field={settings.bufferMinutes} hint={t("availability.bufferHint")}>
            {d.options.buffer.map((m) => (
              <option key={m} value={m}>
                {duration(t, m)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("availability.notice")} field={settings.minNoticeMinutes} hint={t("availability.noticeHint")}>
            {d.options.notice.map((m) => (
              <option key={m} value={m}>
                {duration(t, m)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("availability.cutoff")} field={settings.cancelCutoffMinutes} hint={t("availability.cutoffHint")}>
            {d.options.cutoff.map((m) => (
              <option key={m} value={m}>
                {duration(t, m)}
              </option>
            ))}
          </SelectField>
          <TextField label={t("availability.maxPerDay")} field={settings.maxSessionsPerDay} type="number" min={0} max={48} inputMode="numeric" hint={t("availability.maxPerDayHint")} />
          <div className="flex items-end sm:col-span-2 lg:col-span-3">
            <Button type="submit" disabled={busy}>
              {t("availability.saveSettings")}
            </Button>
          </div>
        </ConformForm>
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
        <ConformForm form={windowForm} t={t} method="post" className="mt-4 space-y-3 rounded-lg bg-slate-50 p-4">
          <input type="hidden" name="intent" value="add-window" />
          <CheckboxList
            legend={t("availability.addHoursFor")}
            field={windowFields.weekday}
            listClassName="mt-2 flex flex-wrap gap-2"
            optionClassName="inline-flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
            options={d.days.map((day) => ({ value: String(day.weekday), label: day.name }))}
          />
          <div className="grid grid-cols-2 gap-3 sm:max-w-md">
            <TextField label={t("availability.from")} field={windowFields.start} type="time" step={900} required />
            <TextField label={t("availability.to")} field={windowFields.end} type="time" step={900} required />
          </div>
          <Button type="submit" disabled={busy}>
            {t("availability.addHours")}
          </Button>
        </ConformForm>
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
        <ConformForm form={overrideForm} t={t} method="post" className="mt-4 grid gap-3 rounded-lg bg-slate-50 p-4 sm:grid-cols-2 lg:grid-cols-4">
          <input type="hidden" name="intent" value="add-override" />
          <TextField label={t("availability.date")} field={override.date} type="date" min={d.today} required />
          <SelectField label={t("availability.overrideKind")} field={override.kind}>
            <option value="off">{t("availability.dayOff")}</option>
            <option value="extra">{t("availability.extraOption")}</option>
          </SelectField>
          <TextField label={t("availability.fromExtra")} field={override.start} type="time" step={900} />
          <TextField label={t("availability.toExtra")} field={override.end} type="time" step={900} />
          <div className="sm:col-span-2 lg:col-span-4">
            <Button type="submit" disabled={busy}>
              {t("availability.addOverride")}
            </Button>
          </div>
        </ConformForm>
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
        <ConformForm form={typeForm} t={t} method="post" className="mt-4 grid gap-3 rounded-lg bg-slate-50 p-4 sm:grid-cols-2 lg:grid-cols-4">
          <input type="hidden" name="intent" value="add-type" />
          <div className="sm:col-span-2">
            <TextField label={t("availability.typeTitle")} field={type.title} required maxLength={80} placeholder={t("availability.typeTitlePlaceholder")} />
          </div>
          <SelectField label={t("availability.typeKind")} field={type.kind}>
            <option value="one_to_one">{t("kind.one_to_one")}</option>
            <option value="group">{t("kind.group")}</option>
          </SelectField>
          <SelectField label={t("availability.typeDuration")} field={type.durationMinutes} hint={t("availability.typeDurationHint")}>
            {DURATIONS.map((m) => (
              <option key={m} value={m}>
                {t("minutes", { count: m })}
              </option>
            ))}
          </SelectField>
          <TextField label={t("availability.typeCapacity")} field={type.capacity} type="number" min={2} max={500} hint={t("availability.typeCapacityHint")} />
          <div className="flex items-end sm:col-span-2 lg:col-span-3">
            <Button type="submit" disabled={busy}>
              {t("availability.addType")}
            </Button>
          </div>
        </ConformForm>
      </Card>
    </Page>
  );
}
