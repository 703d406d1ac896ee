import { NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Badge } from "~/components/ui/feedback";

const tab = ({ isActive }: { isActive: boolean }) =>
  "rounded-md px-3 py-2 text-sm font-medium " + (isActive ? "bg-brand-700 text-white" : "text-slate-700 hover:bg-slate-100");

export function AdminTabs() {
  const { t } = useTranslation("admin");
  return (
    <nav aria-label={t("nav.label")} className="flex flex-wrap gap-1">
      <NavLink to="/admin" end className={tab}>{t("nav.overview")}</NavLink>
      <NavLink to="/admin/users" className={tab}>{t("nav.users")}</NavLink>
      <NavLink to="/admin/experts" className={tab}>{t("nav.experts")}</NavLink>
      <NavLink to="/admin/organisations" className={tab}>{t("nav.orgs")}</NavLink>
      <NavLink to="/admin/regions" className={tab}>{t("nav.regions")}</NavLink>
      <NavLink to="/admin/skills" className={tab}>{t("nav.skills")}</NavLink>
      <NavLink to="/admin/priority-groups" className={tab}>{t("nav.priority")}</NavLink>
      <NavLink to="/admin/reports" className={tab}>{t("nav.reports")}</NavLink>
      <NavLink to="/admin/audit" className={tab}>{t("nav.audit")}</NavLink>
    </nav>
  );
}

export function ApplicationBadge({ status }: { status: "pending" | "approved" | "rejected" }) {
  const { t } = useTranslation("admin");
  const tone = status === "approved" ? "success" : status === "rejected" ? "error" : "warning";
  return <Badge tone={tone}>{t(`status.${status}`)}</Badge>;
}

export function OrgStateBadge({ state }: { state: "pending" | "verified" | "rejected" }) {
  const { t } = useTranslation("admin");
  const tone = state === "verified" ? "success" : state === "rejected" ? "error" : "warning";
  return <Badge tone={tone}>{t(`orgs.state.${state}`)}</Badge>;
}
