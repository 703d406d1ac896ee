import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/domains/auth/session.server";
import { ensureExpertProfile } from "~/domains/scheduling/profile.server";
import { availabilityOf } from "~/domains/scheduling/overview.server";
import { cancelSession, hostSessions, joinWindow } from "~/domains/scheduling/booking.server";
import { windowsForDate } from "~/domains/scheduling/slots";
import { formatCalendarDate, formatTime, offsetLabel } from "~/utils/datetime";
import { addDays, formatClock, isDateString, todayIn, weekdayOf, zonedParts, zonedTimeToUtc } from "~/domains/scheduling/tz";
import { bookingFailure, formFailure, formOf, requestLocale } from "~/domains/scheduling/http.server";
import { StatusBadge } from "~/components/scheduling/ui";
import { Notice } from "~/components/ui/feedback";
import { Page } from "~/components/ui/layout";
import { safeRedirect } from "~/domains/auth/validation";

export const meta: MetaFunction = () => [{ title: "Calendar · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "expert");
  const locale = await requestLocale(request);
  const profile = await ensureExpertProfile(user.id);
  const tz = profile.timeZone;
  const url = new URL(request.url);
  const now = new Date();
  const today = todayIn(tz, now);
  let anchor = today;
  const dateParam = url.searchParams.get("date");
  const atParam = url.searchParams.get("at");
  if (isDateString(dateParam)) anchor = dateParam;
  else if (atParam && !Number.isNaN(Date.parse(atParam))) anchor = zonedParts(new Date(atParam), tz).date;
  const weekStart = addDays(anchor, -((weekdayOf(anchor) + 6) % 7));
  const from = zonedTimeToUtc(weekStart, 0, tz);
  const to = zonedTimeToUtc(addDays(weekStart, 7), 0, tz);
  const [sessions, av] = await Promise.all([hostSessions(user.id, from, to), availabilityOf(user.id)]);

  const days = Array.from({ length: 7 }, (_, i) => {
    const date = addDays(weekStart, i);
    return {
      date,
      label: formatCalendarDate(date, locale),
      isToday: date === today,
      windows: av ? windowsForDate(av, date).map((w) => `${formatClock(w.startMinute)}–${formatClock(w.endMinute)}`) : [],
      sessions: sessions
        .filter((s) => zonedParts(s.startsAt, tz).date === date)
        .map((s) => ({
          id: s.id,
          title: s.title,
          kind: s.kind,
          status: s.status,
          time: `${formatTime(s.startsAt, { locale, timeZone: tz })}–${formatTime(s.endsAt, { locale, timeZone: tz })}`,
          learners: s.bookings.map((b) => b.learner.name),
          firstBookingId: s.bookings[0]?.id ?? null,
          seats: s.bookings.length,
          capacity: s.capacity,
          cohort: s.cohort?.name ?? null,
          join: joinWindow(s, now),
          canCancel: s.status === "scheduled" && s.startsAt > now,
        })),
    };
  });
  return {
    timeZone: tz,
    offset: offsetLabel(tz, from),
    weekLabel: `${formatCalendarDate(weekStart, locale, false)} – ${formatCalendarDate(addDays(weekStart, 6), locale, false)}`,
    prev: addDays(weekStart, -7),
    next: addDays(weekStart, 7),
    isThisWeek: today >= weekStart && today < addDays(weekStart, 7),
    days,
    total: sessions.filter((s) => s.status !== "cancelled").length,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "expert");
  const { fields, intent } = await formOf(request);
  if (intent === "cancel-session") {
    try {
      await cancelSession(user, fields.sessionId ?? "");
    } catch (err) {
      return bookingFailure(err);
    }
    const url = new URL(request.url);
    url.searchParams.set("cancelled", "1");
    throw redirect(safeRedirect(url.pathname + url.search, "/schedule/calendar"));
  }
  return formFailure("errors.generic");
}

export default function Calendar() {
  const { t } = useTranslation("scheduling");
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const nav = "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-50";
  return (
    <Page
      title={t("calendar.title")}
      lead={t("calendar.lead", { zone: d.timeZone, offset: d.offset })}
      actions={
        <Link to="/schedule/availability" className={nav}>
          {t("hub.availability")}
        </Link>
      }
    >
      {actionData?.error ? <Notice tone="error">{t(actionData.error)}</Notice> : null}
      <nav aria-label={t("calendar.weekNav")} className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold" data-testid="week-label">
          {d.weekLabel} <span className="text-sm font-normal text-slate-500">· {t("calendar.count", { count: d.total })}</span>
        </h2>
        <div className="flex gap-2">
          <Link to={`?date=${d.prev}`} className={nav} rel="prev">
            ← {t("calendar.prev")}
          </Link>
          {d.isThisWeek ? null : (
            <Link to="?" className={nav}>
              {t("calendar.today")}
            </Link>
          )}
          <Link to={`?date=${d.next}`} className={nav} rel="next">
            {t("calendar.next")} →
          </Link>
        </div>
      </nav>

      <ol className="grid gap-3 lg:grid-cols-7">
        {d.days.map((day) => (
          <li
            key={day.date}
            data-testid={`day-${day.date}`}
            aria-current={day.isToday ? "date" : undefined}
            className={"flex min-h-32 flex-col rounded-xl border bg-white p-3 shadow-sm " + (day.isToday ? "border-brand-500 ring-1 ring-brand-500" : "border-slate-200")}
          >
            <h3 className="text-sm font-semibold">{day.label}</h3>
            {day.windows.length ? (
              <p className="mt-1 text-xs text-emerald-700">
                <span className="sr-only">{t("calendar.open")}: </span>
                {day.windows.join(", ")}
              </p>
            ) : (
              <p className="mt-1 text-xs text-slate-400">{t("calendar.closed")}</p>
            )}
            <ul className="mt-2 space-y-2">
              {day.sessions.map((s) => (
                <li
                  key={s.id}
                  data-testid="calendar-session"
                  className={"rounded-lg border p-2 text-sm " + (s.status === "cancelled" ? "border-slate-200 bg-slate-50 text-slate-500" : "border-brand-200 bg-brand-50")}
                >
                  <p className="font-semibold">{s.time}</p>
                  <p>{s.title}</p>
                  <p className="text-xs text-slate-600">
                    {s.kind === "group" ? t("calendar.seats", { count: s.seats, capacity: s.capacity }) : s.learners.join(", ")}
                    {s.cohort ? ` · ${s.cohort}` : ""}
                  </p>
                  {s.kind === "group" && s.learners.length ? <p className="mt-1 line-clamp-3 text-xs text-slate-500">{s.learners.join(", ")}</p> : null}
                  <div className="mt-1 flex flex-wrap items-center gap-2">
                    <StatusBadge status={s.status} />
                    {s.join === "open" ? (
                      <Link to={`/sessions/${s.id}`} className="rounded bg-brand-600 px-2 py-0.5 text-xs font-semibold text-white hover:bg-brand-700">
                        {t("booking.join")}
                      </Link>
                    ) : s.status !== "cancelled" ? (
                      <Link to={s.kind === "one_to_one" && s.firstBookingId ? `/schedule/bookings/${s.firstBookingId}` : `/sessions/${s.id}`} className="text-xs text-brand-700 underline">
                        {t("calendar.details")}
                      </Link>
                    ) : null}
                  </div>
                  {s.canCancel ? (
                    <details className="mt-1">
                      <summary className="cursor-pointer text-xs text-red-700">{t("calendar.cancel")}</summary>
                      <Form method="post" className="mt-1">
                        <input type="hidden" name="intent" value="cancel-session" />
                        <input type="hidden" name="sessionId" value={s.id} />
                        <p className="text-xs text-slate-600">{t("calendar.cancelConfirm")}</p>
                        <button type="submit" className="mt-1 rounded bg-red-600 px-2 py-1 text-xs font-semibold text-white hover:bg-red-700">
                          {t("calendar.cancelYes")}
                        </button>
                      </Form>
                    </details>
                  ) : null}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </Page>
  );
}
