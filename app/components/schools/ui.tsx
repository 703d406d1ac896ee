// Shared pieces of the school pages: header with tabs, cards, badges, progress bars.
import { Link, NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { AssignmentStatus } from "~/domains/schools/status";
import { Icon } from "~/components/ui/icon";

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
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div className="min-w-0">
            <h1 className="text-2xl font-bold break-words">{title}</h1>
            {lead ? <p className="mt-1 text-slate-600">{lead}</p> : null}
          </div>
          {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
        </div>
        <nav aria-label={t("nav.label")} className="-mx-1 mt-4 flex gap-1 overflow-x-auto pb-3">
          <NavLink to="/school" end className={tab}>{t("nav.overview")}</NavLink>
          <NavLink to="/school/learners" className={tab}>{t("nav.learners")}</NavLink>
          <NavLink to="/school/import" className={tab}>{t("nav.import")}</NavLink>
          <NavLink to="/school/invitations" className={tab}>{t("nav.invitations")}</NavLink>
        </nav>
      </div>
    </div>
  );
}

export function Card({ title, children, className = "", id }: { title?: React.ReactNode; children: React.ReactNode; className?: string; id?: string }) {
  return (
    <section id={id} aria-labelledby={title && id ? `${id}-title` : undefined} className={"rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6 " + className}>
      {title ? <h2 id={id ? `${id}-title` : undefined} className="mb-4 text-lg font-semibold">{title}</h2> : null}
      {children}
    </section>
  );
}

const STATUS_STYLE: Record<AssignmentStatus, string> = {
  completed: "bg-emerald-100 text-emerald-800",
  inProgress: "bg-brand-100 text-brand-700",
  notStarted: "bg-slate-100 text-slate-700",
  overdue: "bg-red-100 text-red-800",
};

export function StatusBadge({ status }: { status: AssignmentStatus }) {
  const { t } = useTranslation("schools");
  return (
    <span data-status={status} className={"inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold " + STATUS_STYLE[status]}>
      {status === "overdue" ? <Icon name="warning" className="mr-1 h-3.5 w-3.5" /> : null}
      {t(`status.${status}`)}
    </span>
  );
}

export function ProgressBar({ percent, label, tone = "brand" }: { percent: number; label: string; tone?: "brand" | "red" | "green" }) {
  const color = tone === "red" ? "bg-red-500" : tone === "green" ? "bg-emerald-500" : "bg-brand-500";
  return (
    <div role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={label} className="h-2 w-full overflow-hidden rounded-full bg-slate-200">
      <div className={"h-full rounded-full " + color} style={{ width: `${Math.max(0, Math.min(100, percent))}%` }} />
    </div>
  );
}

export function Notice({ tone = "info", children }: { tone?: "info" | "success" | "warning"; children: React.ReactNode }) {
  const style =
    tone === "success"
      ? "border-emerald-200 bg-emerald-50 text-emerald-800"
      : tone === "warning"
        ? "border-amber-200 bg-amber-50 text-amber-900"
        : "border-brand-100 bg-brand-50 text-brand-700";
  return <div role="status" className={"rounded-md border px-3 py-2 text-sm " + style}>{children}</div>;
}

export const linkButton =
  "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50";

export const selectClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/40";
