import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Badge, Notice } from "~/components/ui/feedback";
import { ButtonLink } from "~/components/ui/forms";
import { Card, DataTable, Page } from "~/components/ui/layout";
import { Icon } from "~/components/ui/icon";
import { BarChart } from "~/components/ui/bar-chart-view";
import { requireUser } from "~/domains/auth/session.server";
import { competitionResults } from "~/domains/assessment/competitions.server";
import { groupCode } from "~/domains/certificates/code";
import { parseOr400 } from "~/utils/input.server";
import { urlId } from "~/utils/input";
import { dateOptions } from "~/utils/datetime.server";
import { formatDateTime } from "~/utils/datetime";

export const meta: MetaFunction = () => [{ title: "Competition results · SkillRelay" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = parseOr400(urlId(), params.competitionId, "competition id");
  const [r, dates] = await Promise.all([competitionResults(user, id), dateOptions(request, user)]);
  const releaseAt = r.releaseAt ? formatDateTime(r.releaseAt, dates) : null;
  if (r.status === "marking") return { ...r, releaseAt, releasedAt: null };
  return { ...r, releaseAt, releasedAt: r.releasedAt ? formatDateTime(r.releasedAt, dates) : null, certificate: r.certificate ? groupCode(r.certificate) : null };
}

const MEDAL_TONE = { gold: "warning", silver: "neutral", bronze: "warning", excellence: "info" } as const;

export default function CompetitionResults() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation("assessment");
  const back = <ButtonLink to={`/competitions/${d.id}`} variant="secondary">{t("competitions.backToCompetition")}</ButtonLink>;
  if (d.status === "marking") {
    return (
      <Page title={t("competitions.resultsTitle", { title: d.title })} actions={back}>
        <Notice tone="info">
          <span data-testid="being-marked">{t("competitions.beingMarkedLong")}</span>
          {d.releaseAt ? <> {t("competitions.releaseSet", { when: d.releaseAt })}</> : null}
        </Notice>
      </Page>
    );
  }
  const medal = (m: string | null) => (m ? <Badge tone={MEDAL_TONE[m as keyof typeof MEDAL_TONE]} data={{ medal: m }}><Icon name="medal" /> {t(`competition.medals.${m}`)}</Badge> : null);
  const chart = {
    labels: d.distribution.map((b) => b.label),
    axisLabel: t("competitions.competitors"),
    vertical: true,
    series: [{ key: "competitors", label: t("competitions.competitors"), color: "#0f766e", values: d.distribution.map((b) => b.value) }],
  };
  return (
    <Page
      title={t("competitions.resultsTitle", { title: d.title })}
      lead={d.status === "released" ? t("competitions.releasedOn", { when: d.releasedAt }) : t("competitions.draftLead")}
      actions={
        <>
          {d.role === "creator" ? (
            <>
              <ButtonLink to={`/competitions/${d.id}/results.csv`} reloadDocument variant="secondary"><Icon name="download" /> CSV</ButtonLink>
              <ButtonLink to={`/competitions/${d.id}/results.xlsx`} reloadDocument variant="secondary"><Icon name="download" /> XLSX</ButtonLink>
            </>
          ) : null}
          {back}
        </>
      }
    >
      {d.status === "draft" ? <Notice tone="warning">{t("competitions.draftNotice", { complete: d.marking.complete, handIns: d.marking.handIns, flagged: d.marking.flagged })}</Notice> : null}
      {d.mine && d.status === "released" ? (
        <Card title={t("competitions.yourResult")}>
          <div data-testid="my-result" className="flex flex-wrap items-center gap-3">
            <span className="text-2xl font-bold">{t("competitions.rankOf", { rank: d.mine.rank, field: d.rows.length })}</span>
            {medal(d.mine.medal)}
            <span>{t("competitions.scoreLine", { score: d.mine.standardised, raw: d.mine.raw, max: d.max })}</span>
          </div>
          {d.certificate ? (
            <p className="mt-3 flex flex-wrap items-center gap-3 text-sm">
              <span>{t("certificates.code")}: <span className="font-mono">{d.certificate}</span></span>
              <a className="text-brand-600 underline" href={`/certificates/${d.certificate.replace(/-/g, "")}/pdf`} data-testid="certificate-pdf">{t("certificates.download")}</a>
              <Link className="underline" to="/certificates">{t("certificates.title")}</Link>
            </p>
          ) : null}
        </Card>
      ) : null}
      <Card title={t("competitions.standing")}>
        <DataTable
          rows={d.rows}
          rowKey={(r) => r.id}
          caption={t("competitions.standing")}
          empty={t("competitions.noHandIns")}
          columns={[
            { key: "rank", header: t("competition.rank"), cell: (r) => <span data-testid="rank">{r.rank}</span> },
            { key: "name", header: t("competition.name"), cell: (r) => (r.me ? <strong>{r.name}</strong> : r.name), className: "whitespace-nowrap" },
            ...d.criteria.map((c, i) => ({ key: `c${i}`, header: <abbr title={c.name}>{c.code}</abbr>, cell: (r: (typeof d.rows)[number]) => r.criteria[i], className: "text-right" })),
            { key: "raw", header: t("competition.raw"), cell: (r) => r.raw, className: "text-right" },
            { key: "std", header: t("competition.standardised"), cell: (r) => r.standardised, className: "text-right" },
            { key: "medal", header: t("competition.medal"), cell: (r) => medal(r.medal) },
          ]}
        />
        <p className="mt-3 text-sm text-slate-600">
          {d.criteria.map((c) => `${c.code} ${c.name} (${c.max})`).join(" · ")}
        </p>
        <p className="mt-1 text-sm text-slate-600" data-testid="scale-note">{t("competitions.scaleNote", { median: d.scale.median, sd: d.scale.sd })}</p>
      </Card>
      <Card title={t("competitions.distribution")}>
        <BarChart data={chart} summary={t("competitions.distributionSummary", { count: d.rows.length, max: d.max })} testId="results-chart" />
        <table className="mt-3 text-sm">
          <caption className="sr-only">{t("competitions.distribution")}</caption>
          <tbody>
            {d.distribution.map((b) => (
              <tr key={b.label}><th scope="row" className="pr-3 text-left font-normal text-slate-600">{b.label}</th><td>{b.value}</td></tr>
            ))}
          </tbody>
        </table>
      </Card>
    </Page>
  );
}
