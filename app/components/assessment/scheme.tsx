import { useTranslation } from "react-i18next";
import { Badge, Notice } from "~/components/ui/feedback";
import { criterionMarks, sectionMarks, sectionTarget, type SchemeInput, type SchemeIssue } from "~/domains/assessment/scheme";

/** Where an issue is, in the page's language. */
export function useWhere() {
  const { t } = useTranslation("assessment");
  return (issue: SchemeIssue) => {
    const w = issue.where;
    if (!w) return t("issues.whereScheme");
    let s = t("issues.whereSection", { n: w.section, name: w.sectionName });
    if (w.criterion !== undefined) s += ` · ${t("issues.whereCriterion", { code: w.criterion })}`;
    if (w.aspect !== undefined) s += ` · ${t("issues.whereAspect", { n: w.aspect })}`;
    return s;
  };
}

export function IssueList({ issues }: { issues: SchemeIssue[] }) {
  const { t } = useTranslation("assessment");
  const where = useWhere();
  return (
    <Notice tone="error">
      <p className="font-semibold">{t("issues.title")}</p>
      <ul className="list-disc pl-5">
        {issues.map((i, n) => (
          <li key={n}>
            {where(i)}: {t(`issues.${i.code}`, { expected: i.expected, actual: i.actual, off: i.off !== undefined && i.off > 0 ? `+${i.off}` : i.off })}
          </li>
        ))}
      </ul>
    </Notice>
  );
}

export function SchemeTree({ scheme }: { scheme: SchemeInput }) {
  const { t } = useTranslation("assessment");
  return (
    <ol className="space-y-4">
      {scheme.sections.map((s, si) => (
        <li key={si}>
          <h3 className="font-semibold">
            {si + 1}. {s.name} <span className="text-sm font-normal text-slate-600">{t("scheme.sectionMarks", { weighting: s.weighting, marks: sectionMarks(s), target: sectionTarget(scheme, s) })}</span>
          </h3>
          <ul className="mt-2 space-y-2">
            {s.criteria.map((c) => (
              <li key={c.code} className="rounded border border-slate-200 p-2">
                <p className="font-medium">
                  {c.code} {c.name} <span className="text-sm font-normal text-slate-600">({criterionMarks(c)})</span>
                </p>
                <ul className="mt-1 divide-y text-sm">
                  {c.aspects.map((a, ai) => (
                    <li key={ai} className="flex flex-col gap-1 py-1 sm:flex-row sm:justify-between">
                      <span>
                        <Badge tone={a.kind === "judgement" ? "info" : "neutral"}>{a.kind === "judgement" ? "J" : "M"}</Badge> {a.description}
                      </span>
                      <span className="text-slate-600">{t("scheme.maxMark", { max: a.maxMark })}</span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
