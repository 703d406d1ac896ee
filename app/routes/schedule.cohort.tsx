import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/domains/auth/session.server";
import { administeredCohorts, cohortMembers, upcomingSessionsOfLearners } from "~/domains/scheduling/overview.server";
import { getUserTimeZone, listBookableExperts } from "~/domains/scheduling/profile.server";
import { bookForCohort, type BookingTarget } from "~/domains/scheduling/booking.server";
import { boardStart, slotBoard } from "~/domains/scheduling/board.server";
import { formatRange, offsetLabel } from "~/utils/datetime";
import { addDays, todayIn } from "~/domains/scheduling/tz";
import { cohortBookSchema, type CohortBookInput } from "~/domains/scheduling/validation";
import { bookingFailureReply, requestLocale } from "~/domains/scheduling/http.server";
import { formErrorReply, parseForm } from "~/utils/forms.server";
import { readForm } from "~/utils/input.server";
import { Notice } from "~/components/ui/feedback";
import { CheckboxList, SelectField } from "~/components/ui/forms";
import { Card, EmptyState, Page } from "~/components/ui/layout";
import { SlotBoard } from "~/components/scheduling/slot-board";

export const meta: MetaFunction = () => [{ title: "Book for a cohort · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const [locale, tz, cohorts, experts] = await Promise.all([requestLocale(request), getUserTimeZone(user.id), administeredCohorts(user), listBookableExperts()]);
  const url = new URL(request.url);
  const now = new Date();
  const cohort = cohorts.find((c) => c.id === url.searchParams.get("cohort")) ?? cohorts[0] ?? null;
  const groupExperts = experts.map((e) => ({ ...e, types: e.types.filter((t) => t.kind === "group") })).filter((e) => e.types.length > 0);
  const expert = groupExperts.find((e) => e.id === url.searchParams.get("expert")) ?? groupExperts[0] ?? null;
  const type = expert?.types.find((t) => t.id === url.searchParams.get("type")) ?? expert?.types[0] ?? null;
  const from = boardStart(url.searchParams.get("from"), tz, now);
  const today = todayIn(tz, now);

  const members = cohort
    ? await cohortMembers(cohort.id)
    : [];
  const days =
    cohort && type && expert ? await slotBoard({ type: { ...type, expertId: expert.id }, viewerTz: tz, locale, from, viewerId: user.id, cohortId: cohort.id, now }) : [];
  const memberIds = members.map((m) => m.userId);
  const upcoming = cohort
    ? await upcomingSessionsOfLearners(memberIds, now)
    : [];
  const bookedId = url.searchParams.get("booked");
  const q = (extra: Record<string, string>) => {
    const p = new URLSearchParams();
    if (cohort) p.set("cohort", cohort.id);
    if (expert) p.set("expert", expert.id);
    if (type) p.set("type", type.id);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return `?${p}`;
  };
  return {
    zone: `${tz} (${offsetLabel(tz, now)})`,
    cohorts: cohorts.map((c) => ({ id: c.id, label: `${c.org.name} · ${c.name}`, size: c._count.members })),
    cohort: cohort ? { id: cohort.id, name: cohort.name } : null,
    experts: groupExperts.map((e) => ({ id: e.id, name: e.name })),
    expert: expert ? { id: expert.id, name: expert.name } : null,
    types: expert?.types.map((t) => ({ id: t.id, title: t.title, duration: t.durationMinutes, capacity: t.capacity })) ?? [],
    type: type ? { id: type.id, title: type.title, capacity: type.capacity, duration: type.durationMinutes } : null,
    members: members.map((m) => ({ id: m.user.id, name: m.user.name })),
    days,
    nav: { prev: from > today ? q({ from: addDays(from, -7) < today ? today : addDays(from, -7) }) : null, next: q({ from: addDays(from, 7) }) },
    upcoming: upcoming.map((s) => ({
      id: s.id,
      title: s.title,
      host: s.host.name,
      when: formatRange(s.startsAt, s.endsAt, { locale, timeZone: tz }),
      learners: s.bookings.map((b) => b.learner.name),
      capacity: s.capacity,
      justBooked: s.id === bookedId,
    })),
    booked: !!bookedId,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const form = await readForm(request);
  if (form.get("intent") !== "book") return data(formErrorReply("errors.generic"), { status: 400 });
  const submission = await parseForm(form, cohortBookSchema, { fallback: "errors.generic" });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const { choice, cohort, expert, type, learner } = submission.value;
  const target: BookingTarget = choice.kind === "slot" ? { kind: "slot", sessionTypeId: type, startsAt: choice.startsAt } : { kind: "seat", sessionId: choice.sessionId };
  let sessionId: string;
  try {
    ({ sessionId } = await bookForCohort(user, cohort, learner, target));
  } catch (err) {
    return bookingFailureReply(submission, err);
  }
  const p = new URLSearchParams({ cohort, expert, type, booked: sessionId });
  throw redirect(`/schedule/cohort?${p}#cohort-sessions`);
}

export default function CohortBooking() {
  const { t } = useTranslation("scheduling");
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const hasAny = d.days.some((day) => day.choices.length > 0);
  const [form, fields] = useConformForm<CohortBookInput>({ id: "cohort-book", lastResult: actionData, defaultValue: { learner: d.members.map((m) => m.id) } });
  const detail = actionData && "detail" in actionData ? (actionData.detail as Record<string, number | string>) : {};
  const tr = (key: string) => t(key, detail);
  const autoSubmit = (e: React.ChangeEvent<HTMLSelectElement>) => e.currentTarget.form?.requestSubmit();

  if (d.cohorts.length === 0) {
    return (
      <Page title={t("cohort.title")} lead={t("cohort.lead")}>
        <EmptyState>
          {t("cohort.noCohorts")}{" "}
          <Link to="/school" className="font-medium text-brand-700 underline">
            {t("cohort.manageSchool")}
          </Link>
        </EmptyState>
      </Page>
    );
  }
  return (
    <Page title={t("cohort.title")} lead={t("cohort.lead")}>
      {d.booked ? <Notice tone="success">{t("cohort.booked")}</Notice> : null}

      <Card title={t("cohort.step1")} id="choose">
        <Form method="get" className="grid gap-3 sm:grid-cols-3">
          <SelectField label={t("cohort.cohort")} name="cohort" defaultValue={d.cohort?.id} onChange={autoSubmit}>
            {d.cohorts.map((c) => (
              <option key={c.id} value={c.id}>
                {t("cohort.cohortOption", { label: c.label, count: c.size })}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("cohort.expert")} name="expert" defaultValue={d.expert?.id} onChange={autoSubmit} disabled={!d.experts.length}>
            {d.experts.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("cohort.type")} name="type" defaultValue={d.type?.id} key={d.expert?.id} onChange={autoSubmit} disabled={!d.types.length}>
            {d.types.map((ty) => (
              <option key={ty.id} value={ty.id}>
                {`${ty.title} · ${t("minutes", { count: ty.duration })} · ${t("seats", { count: ty.capacity })}`}
              </option>
            ))}
          </SelectField>
          <div className="sm:col-span-3">
            <button type="submit" className="rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-700 hover:bg-slate-50">
              {t("cohort.show")}
            </button>
          </div>
        </Form>
      </Card>

      {!d.experts.length ? <EmptyState>{t("cohort.noExperts")}</EmptyState> : null}

      {d.cohort && d.type && d.expert ? (
        <ConformForm form={form} t={tr} method="post" className="space-y-6">
          <input type="hidden" name="intent" value="book" />
          <input type="hidden" name="cohort" value={d.cohort.id} />
          <input type="hidden" name="expert" value={d.expert.id} />
          <input type="hidden" name="type" value={d.type.id} />
          <Card title={t("cohort.step2", { zone: d.zone })} id="times">
            <div className="mb-3 flex justify-end gap-2">
              {d.nav.prev ? (
                <Link to={d.nav.prev} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold hover:bg-slate-50">
                  ← {t("calendar.prev")}
                </Link>
              ) : null}
              <Link to={d.nav.next} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold hover:bg-slate-50">
                {t("calendar.next")} →
              </Link>
            </div>
            <SlotBoard days={d.days} field={fields.choice} />
            {!hasAny ? <div className="mt-3"><EmptyState>{t("expert.noSlots")}</EmptyState></div> : null}
          </Card>
          <Card title={t("cohort.step3", { capacity: d.type.capacity })} id="learners">
            {d.members.length ? (
              <CheckboxList
                legend={t("cohort.learners")}
                legendHidden
                field={fields.learner}
                listClassName="grid gap-2 sm:grid-cols-2 lg:grid-cols-3"
                optionClassName="flex cursor-pointer items-center gap-2 rounded-md border border-slate-200 px-3 py-2 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50"
                options={d.members.map((m) => ({ value: m.id, label: m.name }))}
              />
            ) : (
              <EmptyState>{t("cohort.noMembers")}</EmptyState>
            )}
          </Card>
          <button
            type="submit"
            disabled={busy || !hasAny || !d.members.length}
            className="w-full rounded-md bg-brand-600 px-6 py-3 font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60 sm:w-auto"
          >
            {t("cohort.book")}
          </button>
        </ConformForm>
      ) : null}

      <Card title={t("cohort.sessionsTitle", { cohort: d.cohort?.name ?? "" })} id="cohort-sessions">
        {d.upcoming.length ? (
          <ul className="divide-y divide-slate-100" data-testid="cohort-sessions">
            {d.upcoming.map((s) => (
              <li key={s.id} className={"py-3 " + (s.justBooked ? "rounded-md bg-emerald-50 px-2" : "")}>
                <p className="font-semibold">
                  {s.title} · {s.host}
                </p>
                <p className="text-sm text-slate-600">{s.when}</p>
                <p className="text-sm text-slate-600">
                  {t("cohort.seatsForCohort", { count: s.learners.length, capacity: s.capacity })}: {s.learners.join(", ")}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>{t("cohort.noSessions")}</EmptyState>
        )}
      </Card>
    </Page>
  );
}
