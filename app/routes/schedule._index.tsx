import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/domains/auth/session.server";
import { hasRole } from "~/domains/auth/roles";
import { upcomingBookingsOf, upcomingHostedSessions } from "~/domains/scheduling/overview.server";
import { listBookableExperts, getUserTimeZone, setUserTimeZone } from "~/domains/scheduling/profile.server";
import { activeCalendarToken, issueCalendarToken, revokeCalendarTokens } from "~/domains/scheduling/feed.server";
import { formatRange, offsetLabel } from "~/utils/datetime";
import { zoneOptions } from "~/domains/scheduling/zones";
import { timeZoneSchema } from "~/domains/scheduling/validation";
import { parseForm } from "~/utils/forms.server";
import { backTo, formFailure, formOf, requestLocale } from "~/domains/scheduling/http.server";
import { StatusBadge, TimeZoneForm } from "~/components/scheduling/ui";
import { Notice } from "~/components/ui/feedback";
import { ButtonLink } from "~/components/ui/forms";
import { Card, EmptyState, Page } from "~/components/ui/layout";

export const meta: MetaFunction = () => [{ title: "Schedule · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [locale, timeZone] = await Promise.all([requestLocale(request), getUserTimeZone(user.id)]);
  const now = new Date();
  const isExpert = hasRole(user, "expert");
  const [experts, bookings, hosted, token] = await Promise.all([
    listBookableExperts(),
    upcomingBookingsOf(user.id, now),
    isExpert ? upcomingHostedSessions(user.id, now) : Promise.resolve([]),
    activeCalendarToken(user.id),
  ]);
  const origin = new URL(request.url).origin;
  const feedUrl = token ? `${origin}/calendar/${token.token}.ics` : null;
  return {
    timeZone,
    offset: offsetLabel(timeZone, now),
    zones: zoneOptions(timeZone, now),
    isExpert,
    isSchool: hasRole(user, "school_admin"),
    experts: experts
      .filter((e) => e.id !== user.id)
      .map((e) => ({ id: e.id, name: e.name, bio: e.bio, types: e.types.map((t) => ({ id: t.id, title: t.title, kind: t.kind, duration: t.durationMinutes, capacity: t.capacity })) })),
    bookings: bookings.map((b) => ({
      id: b.id,
      title: b.session.title,
      host: b.session.host.name,
      when: formatRange(b.session.startsAt, b.session.endsAt, { locale, timeZone: timeZone }),
      status: b.session.status === "scheduled" ? "confirmed" : b.session.status,
    })),
    hosted: hosted.map((s) => ({
      id: s.id,
      title: s.title,
      when: formatRange(s.startsAt, s.endsAt, { locale, timeZone: timeZone }),
      kind: s.kind,
      seats: s.bookings.length,
      capacity: s.capacity,
    })),
    feed: feedUrl ? { url: feedUrl, webcal: feedUrl.replace(/^https?:/, "webcal:"), since: token!.createdAt.toISOString().slice(0, 10) } : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { form, fields, intent } = await formOf(request);
  if (intent === "timezone") {
    const submission = await parseForm(form, timeZoneSchema);
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    await setUserTimeZone(user.id, submission.value.timeZone);
    throw redirect(backTo(request));
  }
  if (intent === "feed-issue") {
    await issueCalendarToken(user.id);
    throw redirect("/schedule?feed=new#calendar-feed");
  }
  if (intent === "feed-revoke") {
    await revokeCalendarTokens(user.id);
    throw redirect("/schedule?feed=revoked#calendar-feed");
  }
  return formFailure("errors.generic");
}

export default function ScheduleHub() {
  const { t } = useTranslation("scheduling");
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <Page title={t("hub.title")} lead={t("hub.lead")}>
      {actionData && "ok" in actionData ? <Notice tone="error">{t(actionData.error)}</Notice> : null}

      {d.isExpert ? (
        <Card title={t("hub.expertTitle")} id="expert">
          <p className="text-sm text-slate-600">{t("hub.expertLead")}</p>
          <div className="mt-4 flex flex-wrap gap-2">
            <ButtonLink to="/schedule/availability">{t("hub.availability")}</ButtonLink>
            <ButtonLink to="/schedule/calendar" variant="secondary">
              {t("hub.calendar")}
            </ButtonLink>
          </div>
          <h3 className="mt-6 font-semibold">{t("hub.nextHosted")}</h3>
          {d.hosted.length ? (
            <ul className="mt-2 divide-y divide-slate-100">
              {d.hosted.map((s) => (
                <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <div>
                    <p className="font-medium">{s.title}</p>
                    <p className="text-sm text-slate-600">{s.when}</p>
                  </div>
                  <span className="text-sm text-slate-600">
                    {s.kind === "group" ? t("hub.seatsTaken", { count: s.seats, capacity: s.capacity }) : t("kind.one_to_one")}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState>{t("hub.noHosted")}</EmptyState>
          )}
        </Card>
      ) : null}

      {d.isSchool ? (
        <Card title={t("hub.schoolTitle")} id="school">
          <p className="text-sm text-slate-600">{t("hub.schoolLead")}</p>
          <div className="mt-4">
            <ButtonLink to="/schedule/cohort">{t("hub.bookForCohort")}</ButtonLink>
          </div>
        </Card>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-3">
        <Card title={t("hub.findExpert")} id="experts" className="lg:col-span-2">
          {d.experts.length ? (
            <ul className="grid gap-3 sm:grid-cols-2">
              {d.experts.map((e) => (
                <li key={e.id} className="rounded-lg border border-slate-200 p-4 hover:border-brand-400">
                  <Link to={`/schedule/experts/${e.id}`} className="text-lg font-semibold text-brand-700 underline-offset-2 hover:underline">
                    {e.name}
                  </Link>
                  {e.bio ? <p className="mt-1 line-clamp-2 text-sm text-slate-600">{e.bio}</p> : null}
                  <ul className="mt-2 flex flex-wrap gap-1.5">
                    {e.types.map((ty) => (
                      <li key={ty.id} className="rounded-full bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700">
                        {ty.title} · {t("minutes", { count: ty.duration })}
                        {ty.kind === "group" ? ` · ${t("kind.group")}` : ""}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState>{t("hub.noExperts")}</EmptyState>
          )}
        </Card>

        <Card title={t("hub.myBookings")} id="bookings">
          {d.bookings.length ? (
            <ul className="space-y-3">
              {d.bookings.map((b) => (
                <li key={b.id}>
                  <Link to={`/schedule/bookings/${b.id}`} className="block rounded-lg border border-slate-200 p-3 hover:border-brand-400">
                    <span className="flex items-center justify-between gap-2">
                      <span className="font-medium">{b.title}</span>
                      <StatusBadge status={b.status} />
                    </span>
                    <span className="block text-sm text-slate-600">{b.host}</span>
                    <span className="block text-sm text-slate-600">{b.when}</span>
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState>{t("hub.noBookings")}</EmptyState>
          )}
          <p className="mt-4">
            <Link to="/schedule/bookings" className="text-sm font-medium text-brand-700 underline">
              {t("hub.allBookings")}
            </Link>
          </p>
        </Card>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={t("hub.settingsTitle")} id="time-zone">
          <p className="mb-3 text-sm text-slate-600">{t("hub.tzLead", { zone: d.timeZone, offset: d.offset })}</p>
          <TimeZoneForm current={d.timeZone} zones={d.zones} />
        </Card>

        <Card title={t("feed.title")} id="calendar-feed">
          <p className="text-sm text-slate-600">{t("feed.lead")}</p>
          {d.feed ? (
            <div className="mt-3 space-y-3">
              <label htmlFor="feed-url" className="block text-sm font-medium text-slate-700">
                {t("feed.url")}
              </label>
              <input
                id="feed-url"
                readOnly
                value={d.feed.url}
                data-testid="feed-url"
                className="block w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs"
                onFocus={(e) => e.currentTarget.select()}
              />
              <p className="text-xs text-slate-500">{t("feed.secret", { date: d.feed.since })}</p>
              <div className="flex flex-wrap gap-2">
                <a href={d.feed.webcal} className="rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-700">
                  {t("feed.subscribe")}
                </a>
                <Form method="post">
                  <input type="hidden" name="intent" value="feed-issue" />
                  <button type="submit" className="rounded-md border border-slate-300 px-3 py-2 text-sm font-semibold hover:bg-slate-50">
                    {t("feed.regenerate")}
                  </button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="intent" value="feed-revoke" />
                  <button type="submit" className="rounded-md border border-red-300 px-3 py-2 text-sm font-semibold text-red-700 hover:bg-red-50">
                    {t("feed.revoke")}
                  </button>
                </Form>
              </div>
            </div>
          ) : (
            <Form method="post" className="mt-3">
              <input type="hidden" name="intent" value="feed-issue" />
              <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
                {t("feed.create")}
              </button>
            </Form>
          )}
        </Card>
      </div>
    </Page>
  );
}
