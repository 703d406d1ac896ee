// The school pages' own pieces: header with tabs, assignment status badge (the generic ones are in ~/components/ui).
import { Link, NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { AssignmentStatus } from "~/domains/schools/status";
import { Icon } from "~/components/ui/icon";
import { Badge, type BadgeTone } from "~/components/ui/feedback";
import { PageHeading } from "~/components/ui/layout";

export function SchoolHeader({
  title,
  lead,
  crumbs = [],
  actions,
}: {
  title: string;
  lead?: string;
  crumbs?: Array<{ to: string; label: string }>;
  actions?: React.ReactNode;
}) {
  const { t } = useTranslation("schools");
  const tab = ({ isActive }: { isActive: boolean }) =>
    "whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium " +
    (isActive ? "bg-brand-600 text-white" : "text-slate-700 hover:bg-slate-200");
  return (
    <div className="border-b border-slate-200 bg-white">
      <div className="mx-auto max-w-6xl px-4 pt-6">
        {crumbs.length ? (
          <nav aria-label={t("nav.breadcrumb")} className="mb-2 text-sm text-slate-500">
            <ol className="flex flex-wrap items-center gap-1">
              {crumbs.map((c) => (
                <li key={c.to} className="flex items-center gap-1">
                  <Link to={c.to} className="hover:text-brand-600 hover:underline">{c.label}</Link>
                  <span aria-hidden>›</span>
                </li>
              ))}
            </ol>
          </nav>
        ) : null}
        <PageHeading title={title} lead={lead} actions={actions} />
        <nav aria-label={t("nav.label")} className="-mx-1 mt-4 flex gap-1 overflow-x-auto pb-3">
          <NavLink to="/school" end className={tab}>{t("nav.overview")}</NavLink>
          <NavLink to="/school/learners" className={tab}>{t("nav.learners")}</NavLink>
          <NavLink to="/school/import" className={tab}>{t("nav.import")}</NavLink>
          <NavLink to="/school/invitations" className={tab}>{t("nav.invitations")}</NavLink>
          <NavLink to="/school/programmes" className={tab}>{t("nav.programmes")}</NavLink>
          <NavLink to="/school/reports" className={tab}>{t("nav.reports")}</NavLink>
        </nav>
      </div>
    </div>
  );
}

const STATUS_TONE: Record<AssignmentStatus, BadgeTone> = { completed: "success", inProgress: "info", notStarted: "neutral", overdue: "error" };

export function StatusBadge({ status }: { status: AssignmentStatus }) {
  const { t } = useTranslation("schools");
  return (
    <Badge tone={STATUS_TONE[status]} data={{ status }}>
      {status === "overdue" ? <Icon name="warning" className="mr-1 h-3.5 w-3.5" /> : null}
      {t(`status.${status}`)}
    </Badge>
  );
}
