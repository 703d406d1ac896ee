import { useTranslation } from "react-i18next";
import { Badge, Notice } from "~/components/ui/feedback";
import type { learnerResult } from "~/domains/assessment/marking.server";

type Result = NonNullable<Awaited<ReturnType<typeof learnerResult>>>;

/** A learner's marked task: "being marked" until release, then marks, descriptors and feedback. */
export function LearnerResult({ result }: { result: Result }) {
  const { t } = useTranslation("assessment");
  if (result.status === "none") return null;
  if (result.status === "marking") return <Notice tone="info">{t("result.beingMarked")}</Notice>;
  return (
    <div className="space-y-3 rounded border border-slate-200 p-3">
      <h3 className="flex flex-wrap items-center gap-2 font-semibold">
        {t("result.title")}: {t("result.total", { total: result.total, max: result.max, pass: result.passMark })}
        <Badge tone={result.passed ? "success" : "warning"}>{result.passed ? t("result.passed") : t("result.notPassed")}</Badge>
      </h3>
      {result.feedback ? <p className="whitespace-pre-wrap text-sm">{result.feedback}</p> : null}
      <ul className="text-sm">
        {result.criteria.map((c) => (
          <li key={c.criterion}>{t("result.criterion", { code: c.criterion, mark: c.mark, max: c.max })}</li>
        ))}
      </ul>
      <ul className="divide-y text-sm">
        {result.aspects.map((a) => (
          <li key={a.id} className="py-2">
            <p className="flex flex-col sm:flex-row sm:justify-between">
              <span>{a.criterion} · {a.description}</span>
              <span className="font-medium">{t("marking.totalOf", { total: a.mark ?? 0, max: a.maxMark })}</span>
            </p>
            {a.descriptors.length ? (
              <details className="mt-1">
                <summary className="cursor-pointer text-slate-600">{t("result.judgedAgainst")}</summary>
                <ol start={0} className="list-decimal pl-6">
                  {a.descriptors.map((d, i) => <li key={i}>{d}</li>)}
                </ol>
              </details>
            ) : null}
            {a.feedback.map((f, i) => <p key={i} className="mt-1 whitespace-pre-wrap text-slate-700">{f}</p>)}
          </li>
        ))}
      </ul>
    </div>
  );
}
