/**
 * Session analytics on the session page (host and moderators only): per person attended
 * time, talk time, hands, polls answered, and connection quality — a stacked bar chart of
 * each person's share of good / fair / poor samples, a strip of the samples over time, and
 * the same numbers as a table (for screen readers and phones).
 */
import { useTranslation } from "react-i18next";
import { ButtonLink } from "~/components/ui/forms";
import { Icon } from "~/components/ui/icon";
import { BarChart } from "~/components/ui/bar-chart-view";
import { Card, EmptyState } from "~/components/ui/layout";
import { QUALITY_ORDER, type AnalyticsView } from "~/domains/live/analytics";

const COLORS = { good: "#10b981", fair: "#f59e0b", poor: "#dc2626", unknown: "#cbd5e1" } as const;
const LETTER = { g: COLORS.good, f: COLORS.fair, p: COLORS.poor, u: COLORS.unknown } as Record<string, string>;

export function SessionAnalyticsSection({ analytics }: { analytics: AnalyticsView }) {
  const { t } = useTranslation("live");
  const { participants, pollsHeld, anonymousPolls } = analytics;
  const withSamples = participants.filter((p) => p.samples > 0);
  const chart = {
    labels: withSamples.map((p) => p.name),
    axisLabel: t("analytics.chartAxis"),
    series: QUALITY_ORDER.map((q) => ({ key: q, label: t(`analytics.quality.${q}`), color: COLORS[q], values: withSamples.map((p) => p.shares[q]) })),
  };
  const summary = withSamples
    .map((p) => t("analytics.chartSummary", { name: p.name, good: p.shares.good, fair: p.shares.fair, poor: p.shares.poor }))
    .join(" ");
  return (
    <section className="mt-10" aria-labelledby="analytics" data-testid="session-analytics">
      <h2 id="analytics" className="text-lg font-semibold">{t("analytics.title")}</h2>
      <p className="mt-1 text-sm text-slate-600">{t("analytics.lead")}</p>
      {analytics.participants.length ? (
        <p className="mt-2" data-testid="analytics-csv">
          <ButtonLink to={`/sessions/${analytics.sessionId}/analytics.csv`} variant="secondary" reloadDocument>
            <Icon name="download" /> {t("analytics.download")}
          </ButtonLink>
        </p>
      ) : null}
      {participants.length === 0 ? (
        <div className="mt-3"><EmptyState>{t("analytics.none")}</EmptyState></div>
      ) : (
        <>
          <div className="mt-3 overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="analytics-table">
              <caption className="sr-only">{t("analytics.tableCaption")}</caption>
              <thead className="border-b border-slate-200 text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-3">{t("analytics.name")}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{t("analytics.attended")}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{t("analytics.talk")}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{t("analytics.hands")}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{t("analytics.polls")}</th>
                  <th scope="col" className="py-2 text-right">{t("analytics.qualityShort")}</th>
                </tr>
              </thead>
              <tbody>
                {participants.map((p) => (
                  <tr key={p.userId} className="border-b border-slate-100" data-testid="analytics-row" data-user-id={p.userId} data-talk-ms={p.talkMs} data-hands={p.hands} data-polls={p.pollsAnswered}>
                    <th scope="row" className="py-2 pr-3 font-medium">{p.name}</th>
                    <td className="py-2 pr-3 text-right tabular-nums">{p.attended}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{p.talk}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{p.hands}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{t("analytics.pollsOf", { answered: p.pollsAnswered, held: pollsHeld })}</td>
                    <td className="whitespace-nowrap py-2 text-right tabular-nums">
                      {p.samples > 0
                        ? t("analytics.qualityCell", { good: p.shares.good, fair: p.shares.fair, poor: p.shares.poor })
                        : t("analytics.noSamples")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {anonymousPolls > 0 ? <p className="mt-2 text-xs text-slate-500">{t("analytics.anonymousPolls", { count: anonymousPolls })}</p> : null}
          <p className="mt-2 text-xs text-slate-500">{t("analytics.talkNote")}</p>
          {withSamples.length > 0 ? (
            <div className="mt-6">
              <Card title={t("analytics.chartTitle")} headingLevel={3}>
                <BarChart data={chart} summary={summary} testId="analytics-chart" />
                <ul className="mt-4 space-y-3" aria-hidden="true" data-testid="analytics-timelines">
                  {withSamples.map((p) => (
                    <li key={p.userId}>
                      <p className="flex justify-between gap-2 text-xs text-slate-600">
                        <span className="truncate font-medium">{p.name}</span>
                        <span className="tabular-nums">{p.from === p.to ? p.from : `${p.from} – ${p.to}`}</span>
                      </p>
                      <div className="mt-1 flex h-3 w-full overflow-hidden rounded">
                        {[...p.timeline].map((letter, i) => (
                          <span key={i} className="h-full flex-1" style={{ backgroundColor: LETTER[letter] }} />
                        ))}
                      </div>
                    </li>
                  ))}
                </ul>
                <p className="mt-2 text-xs text-slate-500">{t("analytics.timelineNote")}</p>
              </Card>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
