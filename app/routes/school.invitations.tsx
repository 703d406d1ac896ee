import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { SchoolHeader } from "~/components/schools/ui";
import { Button, selectClass } from "~/components/ui/forms";
import { Card } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { i18next } from "~/i18next.server";
import { schoolOverview } from "~/domains/schools/cohorts.server";
import { pendingInvitations } from "~/domains/schools/learners.server";
import { invitationUrl } from "~/domains/schools/invitations.server";
import { formatDate } from "~/utils/datetime";
import { useNonce } from "~/utils/nonce";

export const meta: MetaFunction = () => [{ title: "Invitation links · School · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const url = new URL(request.url);
  const query = { orgId: url.searchParams.get("org"), cohortId: url.searchParams.get("cohort") };
  const [orgs, rows, locale] = await Promise.all([schoolOverview(user), pendingInvitations(user, query), i18next.getLocale(request)]);
  return {
    orgs: orgs.map((o) => ({ id: o.id, name: o.name, cohorts: o.cohorts.map((c) => ({ id: c.id, name: c.name })) })),
    cohort: query.cohortId ?? "",
    invitations: rows.map((r) => ({
      token: r.token,
      url: invitationUrl(request, r.token),
      expires: formatDate(r.expiresAt, { locale, timeZone: user.timeZone }),
      orgName: r.org.name,
      name: r.user.name,
      login: r.user.phone ?? r.user.email ?? "",
      cohorts: r.user.cohortMemberships.map((c) => c.cohort.name).join("、"),
    })),
  };
}

export default function InvitationLinks() {
  const { t } = useTranslation("schools");
  const { orgs, cohort, invitations } = useLoaderData<typeof loader>();
  const [canPrint, setCanPrint] = useState(false);
  const nonce = useNonce();
  useEffect(() => setCanPrint(true), []);
  return (
    <>
      {/* Printing: only the slips (the site header, tabs and filters stay on screen). */}
      {/* Raw CSS: as a text child React escapes ">" on the server but not in the browser. */}
      <style nonce={nonce} dangerouslySetInnerHTML={{ __html: "@media print { body > header, body > footer, .no-print { display: none !important; } .slip { break-inside: avoid; } }" }} />
      <div className="no-print">
        <SchoolHeader title={t("links.title")} lead={t("links.lead")} crumbs={[{ to: "/school", label: t("nav.overview") }]} />
      </div>
      <div className="mx-auto max-w-6xl space-y-6 px-4 py-8">
        <Card className="no-print">
          <Form method="get" className="flex flex-col gap-3 sm:flex-row sm:items-end">
            <div className="flex-1 space-y-1">
              <label htmlFor="links-cohort" className="block text-sm font-medium text-slate-700">{t("learners.cohort")}</label>
              <select id="links-cohort" name="cohort" defaultValue={cohort} className={selectClass}>
                <option value="">{t("learners.allCohorts")}</option>
                {orgs.map((o) => (
                  <optgroup key={o.id} label={o.name}>
                    {o.cohorts.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                  </optgroup>
                ))}
              </select>
            </div>
            <Button type="submit" className="bg-slate-700 hover:bg-slate-800">{t("learners.filter")}</Button>
            {canPrint ? (
              <Button type="button" onClick={() => window.print()}>{t("links.print")}</Button>
            ) : null}
          </Form>
        </Card>
        {invitations.length === 0 ? <p className="text-slate-600">{t("links.none")}</p> : null}
        <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2 print:grid-cols-2" data-testid="slips">
          {invitations.map((inv) => (
            <li key={inv.token} className="slip rounded-lg border-2 border-dashed border-slate-300 bg-white p-4">
              <p className="text-xs text-slate-500">{inv.orgName}{inv.cohorts ? ` · ${inv.cohorts}` : ""}</p>
              <p className="mt-1 text-lg font-bold">{inv.name}</p>
              <p className="mt-2 text-sm">{t("links.slipStep1")}</p>
              <p className="mt-1 break-all rounded bg-slate-50 p-2 font-mono text-sm" data-testid="slip-link">{inv.url}</p>
              <p className="mt-2 text-sm">{t("links.slipStep2", { login: inv.login })}</p>
              <p className="mt-2 text-xs text-slate-500">{t("links.validUntil", { date: inv.expires })}</p>
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}
