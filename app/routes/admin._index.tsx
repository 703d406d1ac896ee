import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminTabs } from "~/components/admin/ui";
import { Card, Page } from "~/components/ui/layout";
import { adminCounts } from "~/domains/admin/users.server";
import { requireRole } from "~/domains/auth/session.server";

export const meta: MetaFunction = () => [{ title: "Administration · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { counts: await adminCounts() };
}

export default function AdminHome() {
  const { t } = useTranslation("admin");
  const { counts } = useLoaderData<typeof loader>();
  const tiles = [
    { to: "/admin/users", label: t("home.users"), value: counts.users, note: t("home.disabled", { n: counts.disabled }) },
    { to: "/admin/users?role=expert", label: t("home.experts"), value: counts.experts },
    { to: "/admin/users?role=school_admin", label: t("home.schoolAdmins"), value: counts.schoolAdmins },
    { to: "/admin/experts", label: t("home.pendingExperts"), value: counts.pendingExperts },
    { to: "/admin/organisations?state=pending", label: t("home.orgs"), value: counts.orgs, note: t("home.unverified", { n: counts.unverifiedOrgs }) },
    { to: "/admin/regions", label: t("home.regions"), value: counts.regions, note: t("home.povertyCounties", { n: counts.povertyCounties }) },
    { to: "/admin/audit", label: t("audit.tile"), value: counts.auditEntries },
  ];
  return (
    <Page title={t("home.title")} lead={t("home.lead")}>
      <AdminTabs />
      <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="admin-counts">
        {tiles.map((tile) => (
          <li key={tile.label}>
            <Card>
              <Link to={tile.to} className="block rounded focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500">
                <p className="text-sm text-slate-600">{tile.label}</p>
                <p className="mt-1 text-3xl font-bold">{tile.value}</p>
                {tile.note ? <p className="mt-1 text-xs text-slate-500">{tile.note}</p> : null}
              </Link>
            </Card>
          </li>
        ))}
      </ul>
    </Page>
  );
}
