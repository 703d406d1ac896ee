import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/domains/auth/session.server";
import { getUserTimeZone } from "~/domains/scheduling/profile.server";
import { joinWindow, learnerBookings } from "~/domains/scheduling/booking.server";
import { formatRange, offsetLabel } from "~/utils/datetime";
import { requestLocale } from "~/domains/scheduling/http.server";
import { StatusBadge } from "~/components/scheduling/ui";
import { ButtonLink } from "~/components/ui/forms";
import { Card, EmptyState, Page } from "~/components/ui/layout";

export const meta: MetaFunction = () => [{ title: "My bookings · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [locale, tz, bookings] = await Promise.all([requestLocale(request), getUserTimeZone(user.id), learnerBookings(user.id)]);
  const now = new Date();
  const view = bookings.map((b) => {
    const state = b.status === "cancelled" ? "cancelled" : joinWindow(b.session, now);
    return {
      id: b.id,
      title: b.session.title,
      host: b.session.host.name,
      when: formatRange(b.session.startsAt, b.session.endsAt, { locale, timeZone: tz }),
      status: b.status === "cancelled" ? "cancelled" : b.session.status === "cancelled" ? "cancelled" : b.status,
      state,
      sessionId: b.session.id,
    };
  });
  return {
    zone: `${tz} (${offsetLabel(tz, now)})`,
    upcoming: view.filter((b) => b.state === "soon" || b.state === "open"),
    past: view.filter((b) => b.state === "ended").reverse(),
    cancelled: view.filter((b) => b.state === "cancelled").reverse(),
  };
}

type Row = Awaited<ReturnType<typeof loader>>["upcoming"][number];

function List({ rows, empty }: { rows: Row[]; empty: string }) {
  const { t } = useTranslation("scheduling");
  if (!rows.length) return <EmptyState>{empty}</EmptyState>;
  return (
    <ul className="divide-y divide-slate-100">
      {rows.map((b) => (
        <li key={b.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
          <div>
            <Link to={`/schedule/bookings/${b.id}`} className="font-semibold text-brand-700 underline-offset-2 hover:underline">
              {b.title}
            </Link>
            <p className="text-sm text-slate-600">
              {b.host} · {b.when}
            </p>
          </div>
          <div className="flex items-center gap-2">
            <StatusBadge status={b.status} />
            {b.state === "open" ? (
              <Link to={`/sessions/${b.sessionId}`} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700">
                {t("booking.join")}
              </Link>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

export default function MyBookings() {
  const { t } = useTranslation("scheduling");
  const d = useLoaderData<typeof loader>();
  return (
    <Page title={t("bookings.title")} lead={t("bookings.lead", { zone: d.zone })} actions={<ButtonLink to="/schedule">{t("hub.findExpert")}</ButtonLink>}>
      <Card title={t("bookings.upcoming")} id="upcoming">
        <List rows={d.upcoming} empty={t("hub.noBookings")} />
      </Card>
      <Card title={t("bookings.past")} id="past">
        <List rows={d.past} empty={t("bookings.noPast")} />
      </Card>
      {d.cancelled.length ? (
        <Card title={t("bookings.cancelled")} id="cancelled">
          <List rows={d.cancelled} empty="" />
        </Card>
      ) : null}
    </Page>
  );
}
