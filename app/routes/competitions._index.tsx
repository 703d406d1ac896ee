import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ButtonLink } from "~/components/ui/forms";
import { Badge } from "~/components/ui/feedback";
import { Card, EmptyState, Page } from "~/components/ui/layout";
import { PhaseBadge } from "~/components/assessment/competition";
import { requireUser } from "~/domains/auth/session.server";
import { canCreateCompetitions, competitionsForUser } from "~/domains/assessment/competitions.server";
import { dateOptions } from "~/utils/datetime.server";
import { formatRange } from "~/utils/datetime";

export const meta: MetaFunction = () => [{ title: "Competitions · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [rows, dates] = await Promise.all([competitionsForUser(user), dateOptions(request, user)]);
  return {
    canCreate: canCreateCompetitions(user),
    rows: rows.map((r) => ({ id: r.id, title: r.title, phase: r.phase, released: r.released, cancelled: r.cancelled, role: r.role, when: formatRange(r.startsAt, r.endsAt, dates) })),
  };
}

export default function Competitions() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation("assessment");
  return (
    <Page title={t("competitions.title")} lead={t("competitions.lead")} actions={d.canCreate ? <ButtonLink to="/competitions/new">{t("competitions.new")}</ButtonLink> : undefined}>
      <Card>
        {d.rows.length ? (
          <ul className="divide-y" data-testid="competition-list">
            {d.rows.map((r) => (
              <li key={r.id} className="flex flex-col gap-1 py-3 sm:flex-row sm:items-center sm:justify-between">
                <span>
                  <Link className="font-medium underline" to={`/competitions/${r.id}`}>{r.title}</Link>
                  <span className="block text-sm text-slate-600">{r.when}</span>
                </span>
                <span className="flex flex-wrap items-center gap-2">
                  <Badge>{t(`competitions.role.${r.role}`)}</Badge>
                  <PhaseBadge phase={r.phase} released={r.released} cancelled={r.cancelled} />
                  {r.released || r.role === "creator" ? <Link className="text-sm underline" to={`/competitions/${r.id}/results`}>{t("competitions.resultsLink")}</Link> : null}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>{t("competitions.none")}</EmptyState>
        )}
      </Card>
    </Page>
  );
}
