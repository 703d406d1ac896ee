import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/domains/auth/session.server";
import { bookableExpert, sessionTypeBelongsTo } from "~/domains/scheduling/overview.server";
import { getUserTimeZone, setUserTimeZone } from "~/domains/scheduling/profile.server";
import { bookForSelf, bookingDetail, relationToBooking, rescheduleBooking, type BookingTarget } from "~/domains/scheduling/booking.server";
import { boardStart, slotBoard } from "~/domains/scheduling/board.server";
import { formatRange, offsetLabel } from "~/utils/datetime";
import { addDays, todayIn } from "~/domains/scheduling/tz";
import { zoneOptions } from "~/domains/scheduling/zones";
import { bookSlotSchema, timeZoneSchema, type BookSlotInput } from "~/domains/scheduling/validation";
import { formErrorReply, parseForm } from "~/utils/forms.server";
import { backTo, bookingFailureReply, formOf, requestLocale } from "~/domains/scheduling/http.server";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { TimeZoneForm } from "~/components/scheduling/ui";
import { Notice } from "~/components/ui/feedback";
import { Card, EmptyState, Page } from "~/components/ui/layout";
import { SlotBoard } from "~/components/scheduling/slot-board";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.expert.name ?? "Expert"} · SkillRelay` }];

async function loadExpert(expertId: string) {
  const expert = await bookableExpert(expertId);
  if (!expert) throw new Response("Not found", { status: 404 });
  return expert;
}

/** The booking being moved (?reschedule=), if the viewer may move it to this expert. */
async function reschedulable(user: Awaited<ReturnType<typeof requireUser>>, bookingId: string | null, expertId: string) {
  if (!bookingId) return null;
  const b = await bookingDetail(bookingId);
  if (!b || b.status !== "confirmed" || b.session.hostId !== expertId) return null;
  const rel = await relationToBooking(user, b);
  return rel && rel !== "host" ? b : null;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const expert = await loadExpert(params.expertId!);
  const [locale, viewerTz] = await Promise.all([requestLocale(request), getUserTimeZone(user.id)]);
  const url = new URL(request.url);
  const now = new Date();
  const types = expert.profile.sessionTypes;
  const type = types.find((t) => t.id === url.searchParams.get("type")) ?? types[0] ?? null;
  const from = boardStart(url.searchParams.get("from"), viewerTz, now);
  const moving = await reschedulable(user, url.searchParams.get("reschedule"), expert.id);
  const days = type && user.id !== expert.id ? await slotBoard({ type, viewerTz, locale, from, viewerId: user.id, now, cohortId: moving?.session.cohortId }) : [];
  const today = todayIn(viewerTz, now);
  const keep = (extra: Record<string, string>) => {
    const q = new URLSearchParams();
    if (type) q.set("type", type.id);
    if (moving) q.set("reschedule", moving.id);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return `?${q}`;
  };
  return {
    self: user.id === expert.id,
    expert: { id: expert.id, name: expert.name, bio: expert.profile.bio, timeZone: expert.profile.timeZone, offset: offsetLabel(expert.profile.timeZone, now) },
    cutoffHours: Math.round((expert.profile.cancelCutoffMinutes / 60) * 10) / 10,
    viewer: { timeZone: viewerTz, offset: offsetLabel(viewerTz, now) },
    zones: zoneOptions(viewerTz, now),
    types: types.map((t) => ({ id: t.id, title: t.title, kind: t.kind, duration: t.durationMinutes, capacity: t.capacity, href: `?type=${t.id}${moving ? `&reschedule=${moving.id}` : ""}` })),
    type: type ? { id: type.id, title: type.title, kind: type.kind, duration: type.durationMinutes, capacity: type.capacity } : null,
    days,
    nav: {
      prev: from > today ? keep({ from: addDays(from, -7) < today ? today : addDays(from, -7) }) : null,
      next: keep({ from: addDays(from, 7) }),
    },
    moving: moving ? { id: moving.id, title: moving.session.title, when: formatRange(moving.session.startsAt, moving.session.endsAt, { locale, timeZone: viewerTz }) } : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { form, intent } = await formOf(request);
  if (intent === "timezone") {
    const submission = await parseForm(form, timeZoneSchema);
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    await setUserTimeZone(user.id, submission.value.timeZone);
    throw redirect(backTo(request));
  }
  if (intent !== "book" && intent !== "reschedule") return data(formErrorReply("errors.generic"), { status: 400 });
  const submission = await parseForm(form, bookSlotSchema, { fallback: "errors.pickTime" });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const { choice } = submission.value;
  const target: BookingTarget = choice.kind === "slot" ? { kind: "slot", sessionTypeId: submission.value.type, startsAt: choice.startsAt } : { kind: "seat", sessionId: choice.sessionId };
  if (target.kind === "slot") {
    if (!(await sessionTypeBelongsTo(target.sessionTypeId, params.expertId!))) return data(submission.reply({ fieldErrors: { choice: ["errors.pickTime"] } }), { status: 400 });
  }
  try {
    if (intent === "reschedule") {
      const { bookingId } = await rescheduleBooking(user, submission.value.bookingId, target);
      throw redirect(`/schedule/bookings/${bookingId}?moved=1`);
    }
    const { bookingId } = await bookForSelf(user, target);
    throw redirect(`/schedule/bookings/${bookingId}?new=1`);
  } catch (err) {
    if (err instanceof Response) throw err;
    return bookingFailureReply(submission, err);
  }
}

export default function ExpertBooking() {
  const { t } = useTranslation("scheduling");
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const hasAny = d.days.some((day) => day.choices.length > 0);
  // The time zone form beside it takes its own replies (intent "timezone").
  const values = actionData && "initialValue" in actionData ? actionData.initialValue : undefined;
  const [form, fields] = useConformForm<BookSlotInput>({ id: "book", lastResult: values?.intent === "timezone" ? undefined : actionData });
  const detail = actionData && "detail" in actionData ? (actionData.detail as Record<string, number | string>) : {};
  const tr = (key: string) => t(key, detail);
  return (
    <Page title={d.expert.name} lead={d.expert.bio || t("expert.lead")}>
      {d.moving ? (
        <Notice tone="warning">
          {t("expert.moving", { title: d.moving.title, when: d.moving.when })}{" "}
          <Link to={`/schedule/bookings/${d.moving.id}`} className="font-semibold underline">
            {t("expert.keep")}
          </Link>
        </Notice>
      ) : null}

      <Card>
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div className="text-sm text-slate-600">
            <p>
              {t("expert.yourZone")} <strong data-testid="viewer-zone">{t(`zones.${d.viewer.timeZone}`, { defaultValue: d.viewer.timeZone })} ({d.viewer.offset})</strong>
            </p>
            <p>{t("expert.expertZone", { zone: d.expert.timeZone, offset: d.expert.offset })}</p>
            <p>{t("expert.cutoff", { count: d.cutoffHours })}</p>
          </div>
          <div className="w-full sm:w-auto sm:min-w-[24rem]">
            <TimeZoneForm current={d.viewer.timeZone} zones={d.zones} compact />
          </div>
        </div>
      </Card>

      {d.self ? <Notice tone="info">{t("expert.self")}</Notice> : null}

      {d.types.length === 0 ? (
        <EmptyState>{t("expert.noTypes")}</EmptyState>
      ) : (
        <nav aria-label={t("expert.types")}>
          <ul className="flex flex-wrap gap-2">
            {d.types.map((ty) => {
              const current = ty.id === d.type?.id;
              return (
                <li key={ty.id}>
                  <Link
                    to={ty.href}
                    aria-current={current ? "page" : undefined}
                    className={
                      "block rounded-lg border px-4 py-2 text-sm " +
                      (current ? "border-brand-600 bg-brand-600 text-white" : "border-slate-300 bg-white text-slate-700 hover:border-brand-400")
                    }
                  >
                    <span className="font-semibold">{ty.title}</span>
                    <span className="block text-xs opacity-80">
                      {t(`kind.${ty.kind}`)} · {t("minutes", { count: ty.duration })}
                      {ty.kind === "group" ? ` · ${t("seats", { count: ty.capacity })}` : ""}
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
      )}

      {d.type && !d.self ? (
        <ConformForm form={form} t={tr} method="post" className="space-y-4">
          <input type="hidden" name="intent" value={d.moving ? "reschedule" : "book"} />
          <input type="hidden" name="type" value={d.type.id} />
          {d.moving ? <input type="hidden" name="bookingId" value={d.moving.id} /> : null}
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 className="text-lg font-semibold">{t("expert.pick")}</h2>
            <div className="flex gap-2">
              {d.nav.prev ? (
                <Link to={d.nav.prev} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold hover:bg-slate-50">
                  ← {t("calendar.prev")}
                </Link>
              ) : null}
              <Link to={d.nav.next} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold hover:bg-slate-50">
                {t("calendar.next")} →
              </Link>
            </div>
          </div>
          <SlotBoard days={d.days} field={fields.choice} />
          {!hasAny ? <EmptyState>{t("expert.noSlots")}</EmptyState> : null}
          <div className="sticky bottom-0 -mx-4 border-t border-slate-200 bg-white/95 px-4 py-3 backdrop-blur sm:static sm:mx-0 sm:border-0 sm:bg-transparent sm:p-0">
            <button
              type="submit"
              disabled={busy || !hasAny}
              className="w-full rounded-md bg-brand-600 px-6 py-3 font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60 sm:w-auto"
            >
              {d.moving ? t("expert.moveHere") : t("expert.book")}
            </button>
          </div>
        </ConformForm>
      ) : null}
    </Page>
  );
}
