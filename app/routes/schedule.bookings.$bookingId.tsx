import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useEffect } from "react";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/domains/auth/session.server";
import { getUserTimeZone } from "~/domains/scheduling/profile.server";
import { JOIN_OPENS_MINUTES, bookingDetail, cancelBooking, changeRule, joinWindow, relationToBooking } from "~/domains/scheduling/booking.server";
import { formatRange, formatTime, offsetLabel } from "~/utils/datetime";
import { bookingFailure, formFailure, formOf, requestLocale } from "~/domains/scheduling/http.server";
import { StatusBadge } from "~/components/scheduling/ui";
import { Notice } from "~/components/ui/feedback";
import { Card, Page } from "~/components/ui/layout";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "Booking"} · SkillRelay` }];

async function load(request: Request, bookingId: string) {
  const user = await requireUser(request);
  const booking = await bookingDetail(bookingId);
  // Someone else's booking does not exist as far as this user can tell.
  const relation = booking ? await relationToBooking(user, booking) : null;
  if (!booking || !relation) throw new Response("Not found", { status: 404 });
  return { user, booking, relation };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, booking, relation } = await load(request, params.bookingId!);
  const [locale, tz] = await Promise.all([requestLocale(request), getUserTimeZone(user.id)]);
  const s = booking.session;
  const now = new Date();
  const cutoffMinutes = s.host.expertProfile?.cancelCutoffMinutes ?? 120;
  const active = booking.status === "confirmed" && s.status !== "cancelled";
  const rule = changeRule(relation, s, cutoffMinutes, now);
  const canChange = active && rule.allowed;
  const expertTz = s.host.expertProfile?.timeZone ?? tz;
  const join = active ? joinWindow(s, now) : "cancelled";
  return {
    id: booking.id,
    title: s.title,
    sessionId: s.id,
    kind: s.kind,
    host: s.host.name,
    learner: booking.learner.name,
    relation,
    status: booking.status === "cancelled" || s.status === "cancelled" ? "cancelled" : s.status === "scheduled" ? "confirmed" : s.status,
    when: formatRange(s.startsAt, s.endsAt, { locale, timeZone: tz }),
    zone: tz,
    expertWhen: expertTz !== tz ? formatRange(s.startsAt, s.endsAt, { locale, timeZone: expertTz }) : null,
    expertZone: expertTz,
    cohort: s.cohort?.name ?? null,
    join,
    joinOpensAt: formatTime(s.startsAt.getTime() - JOIN_OPENS_MINUTES * 60_000, { locale, timeZone: tz }),
    joinOpensInMs: s.startsAt.getTime() - JOIN_OPENS_MINUTES * 60_000 - now.getTime(),
    canCancel: canChange,
    canReschedule: canChange && relation !== "host" && !!s.sessionType,
    rescheduleHref: s.sessionType ? `/schedule/experts/${s.hostId}?type=${s.sessionType.id}&reschedule=${booking.id}` : null,
    blockedReason: active && !rule.allowed ? rule.reason : null,
    cutoffHours: Math.round((cutoffMinutes / 60) * 10) / 10,
    offset: offsetLabel(tz, s.startsAt),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await load(request, params.bookingId!);
  const { intent } = await formOf(request);
  if (intent === "cancel") {
    try {
      await cancelBooking(user, params.bookingId!);
    } catch (err) {
      return bookingFailure(err);
    }
    throw redirect(`/schedule/bookings/${params.bookingId}?cancelled=1`);
  }
  return formFailure("errors.generic");
}

export default function BookingPage() {
  const { t } = useTranslation("scheduling");
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const revalidator = useRevalidator();
  // With the page open, the join button appears on its own when the time comes.
  useEffect(() => {
    if (d.join !== "soon" || d.joinOpensInMs > 6 * 3_600_000) return;
    const timer = setTimeout(() => revalidator.revalidate(), Math.max(0, d.joinOpensInMs) + 1000);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [d.join, d.joinOpensInMs]);
  return (
    <Page title={d.title} lead={d.relation === "learner" ? t("booking.withExpert", { expert: d.host }) : t("booking.forLearner", { learner: d.learner, expert: d.host })}>
      {params.get("new") && d.status === "confirmed" ? (
        <Notice tone="success">
          <strong>{t("booking.confirmedTitle")}</strong> {t("booking.confirmedBody")}
        </Notice>
      ) : null}
      {params.get("moved") && d.status === "confirmed" ? <Notice tone="success">{t("booking.movedBody")}</Notice> : null}
      {params.get("cancelled") ? <Notice tone="info">{t("booking.cancelledBody")}</Notice> : null}
      {actionData?.error ? <Notice tone="error">{t(actionData.error, actionData.detail)}</Notice> : null}

      <Card>
        <dl className="grid gap-4 sm:grid-cols-2">
          <div>
            <dt className="text-sm text-slate-500">{t("booking.when")}</dt>
            <dd className="text-lg font-semibold" data-testid="booking-when">
              {d.when}
            </dd>
            <dd className="text-xs text-slate-500">{t("booking.inZone", { zone: d.zone })}</dd>
            {d.expertWhen ? (
              <dd className="mt-1 text-sm text-slate-600">
                {t("booking.expertTime", { when: d.expertWhen, zone: d.expertZone })}
              </dd>
            ) : null}
          </div>
          <div>
            <dt className="text-sm text-slate-500">{t("booking.status")}</dt>
            <dd className="mt-1" data-testid="booking-status">
              <StatusBadge status={d.status} />
            </dd>
            <dt className="mt-3 text-sm text-slate-500">{t("booking.type")}</dt>
            <dd>
              {t(`kind.${d.kind}`)}
              {d.cohort ? ` · ${d.cohort}` : ""}
            </dd>
          </div>
        </dl>

        <div className="mt-6 flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4">
          {d.join === "open" ? (
            <Link to={`/sessions/${d.sessionId}`} className="rounded-md bg-emerald-600 px-5 py-2.5 font-semibold text-white shadow-sm hover:bg-emerald-700" data-testid="join">
              {t("booking.join")}
            </Link>
          ) : d.join === "soon" ? (
            <p className="text-sm text-slate-600">{t("booking.joinSoon", { time: d.joinOpensAt, minutes: 10 })}</p>
          ) : d.join === "ended" ? (
            <Link to={`/sessions/${d.sessionId}`} className="rounded-md border border-slate-300 px-4 py-2 font-semibold text-slate-700 hover:bg-slate-50">
              {t("booking.afterSession")}
            </Link>
          ) : null}
          {d.status !== "cancelled" ? (
            <a href={`/schedule/bookings/${d.id}/ics`} download className="rounded-md border border-slate-300 px-4 py-2 font-semibold text-slate-700 hover:bg-slate-50">
              {t("booking.addToCalendar")}
            </a>
          ) : null}
        </div>
      </Card>

      {d.status === "confirmed" ? (
        <Card title={t("booking.changeTitle")} id="change">
          <p className="text-sm text-slate-600">{t("booking.rules", { count: d.cutoffHours })}</p>
          {d.blockedReason ? (
            <p className="mt-3 text-sm font-medium text-amber-800">{t(`booking.${d.blockedReason}`)}</p>
          ) : (
            <div className="mt-4 flex flex-wrap gap-3">
              {d.canReschedule && d.rescheduleHref ? (
                <Link to={d.rescheduleHref} className="rounded-md border border-brand-600 px-4 py-2 font-semibold text-brand-700 hover:bg-brand-50">
                  {t("booking.reschedule")}
                </Link>
              ) : null}
              {d.canCancel ? (
                <details className="group">
                  <summary className="cursor-pointer list-none rounded-md border border-red-300 px-4 py-2 font-semibold text-red-700 hover:bg-red-50">{t("booking.cancel")}</summary>
                  <Form method="post" className="mt-3 rounded-lg border border-red-200 bg-red-50 p-3">
                    <input type="hidden" name="intent" value="cancel" />
                    <p className="text-sm text-red-800">{t("booking.cancelConfirm")}</p>
                    <button type="submit" disabled={busy} className="mt-2 rounded-md bg-red-600 px-4 py-2 font-semibold text-white hover:bg-red-700 disabled:opacity-60">
                      {t("booking.cancelYes")}
                    </button>
                  </Form>
                </details>
              ) : null}
            </div>
          )}
        </Card>
      ) : null}

      <p>
        <Link to="/schedule/bookings" className="text-sm font-medium text-brand-700 underline">
          ← {t("bookings.title")}
        </Link>
      </p>
    </Page>
  );
}
