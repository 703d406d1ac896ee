// Marking schemes in the WorldSkills shape: sections (weighting %) → criteria (A, B, C…) →
// aspects. Pure: shared by the editor, the marking page, the XLSX import and the tests.
// Every rule of docs/assessment.md lives here.

export type AspectKind = "measurement" | "judgement";

/** How a measurement aspect turns what the marker enters into a mark. */
export type MeasurementConfig =
  | { mode: "binary" }
  /** deviation ≤ upTo earns fraction × max; bands are checked smallest first; beyond all → 0 */
  | { mode: "bands"; bands: { upTo: number; fraction: number }[] }
  /** each fault takes perFault off max, never below 0 */
  | { mode: "deduction"; perFault: number };

export type AspectInput = {
  kind: AspectKind;
  description: string;
  maxMark: number;
  /** judgement only: descriptors for scores 0, 1, 2, 3 */
  descriptors?: string[];
  /** measurement only */
  measurement?: MeasurementConfig;
};
export type CriterionInput = { code: string; name: string; aspects: AspectInput[] };
export type SectionInput = { name: string; weighting: number; criteria: CriterionInput[] };
export type SchemeInput = { total: number; tolerance: number; sections: SectionInput[] };

export const DEFAULT_TOTAL = 100;
export const MIN_JUDGES = 3;
export const JUDGEMENT_MAX_SCORE = 3;
/** Two markers' judgement scores may differ by at most this much. */
export const JUDGEMENT_MAX_SPREAD = 1;

export type Where = { section: number; sectionName: string; criterion?: string; aspect?: number };
export type SchemeIssue = {
  /** translation key under assessment:issues.* */
  code:
    | "noSections"
    | "totalMismatch"
    | "weightingsMismatch"
    | "sectionMismatch"
    | "emptySection"
    | "emptyCriterion"
    | "duplicateCriterion"
    | "badMaxMark"
    | "missingDescription"
    | "descriptorsRequired"
    | "measurementConfigMissing"
    | "badBands"
    | "badDeduction"
    | "measurementOnJudgement";
  where?: Where;
  /** numbers the message needs: expected, actual, off (actual − expected) */
  expected?: number;
  actual?: number;
  off?: number;
};

export const round2 = (n: number) => Math.round(n * 100) / 100;
const sum = (xs: number[]) => round2(xs.reduce((a, b) => a + b, 0));

export function aspectsOf(section: SectionInput) {
  return section.criteria.flatMap((c) => c.aspects);
}
export function sectionMarks(section: SectionInput) {
  return sum(aspectsOf(section).map((a) => a.maxMark));
}
export function criterionMarks(criterion: CriterionInput) {
  return sum(criterion.aspects.map((a) => a.maxMark));
}
export function schemeMarks(scheme: SchemeInput) {
  return sum(scheme.sections.map(sectionMarks));
}

/** The marks a section should carry: its weighting % of the scheme total. */
export function sectionTarget(scheme: Pick<SchemeInput, "total">, section: Pick<SectionInput, "weighting">) {
  return round2((scheme.total * section.weighting) / 100);
}

function validateMeasurement(config: MeasurementConfig | undefined, where: Where, issues: SchemeIssue[]) {
  if (!config) return issues.push({ code: "measurementConfigMissing", where });
  if (config.mode === "bands") {
    const ok =
      config.bands.length > 0 &&
      config.bands.every((b, i) => Number.isFinite(b.upTo) && b.upTo >= 0 && b.fraction > 0 && b.fraction <= 1 && (i === 0 || b.upTo > config.bands[i - 1].upTo && b.fraction <= config.bands[i - 1].fraction));
    if (!ok) issues.push({ code: "badBands", where });
  } else if (config.mode === "deduction") {
    if (!(Number.isFinite(config.perFault) && config.perFault > 0)) issues.push({ code: "badDeduction", where });
  }
}

/** Every problem in the scheme, each saying where and by how much. Empty means usable. */
export function validateScheme(scheme: SchemeInput): SchemeIssue[] {
  const issues: SchemeIssue[] = [];
  if (scheme.sections.length === 0) return [{ code: "noSections" }];
  scheme.sections.forEach((section, si) => {
    const sectionWhere: Where = { section: si + 1, sectionName: section.name };
    if (section.criteria.length === 0) issues.push({ code: "emptySection", where: sectionWhere });
    const seen = new Set<string>();
    for (const criterion of section.criteria) {
      const cWhere: Where = { ...sectionWhere, criterion: criterion.code };
      if (seen.has(criterion.code)) issues.push({ code: "duplicateCriterion", where: cWhere });
      seen.add(criterion.code);
      if (criterion.aspects.length === 0) issues.push({ code: "emptyCriterion", where: cWhere });
      criterion.aspects.forEach((aspect, ai) => {
        const where: Where = { ...cWhere, aspect: ai + 1 };
        if (!(Number.isFinite(aspect.maxMark) && aspect.maxMark > 0)) issues.push({ code: "badMaxMark", where, actual: aspect.maxMark });
        if (!aspect.description.trim()) issues.push({ code: "missingDescription", where });
        if (aspect.kind === "judgement") {
          const d = aspect.descriptors ?? [];
          if (d.length !== 4 || d.some((x) => !x || !x.trim())) issues.push({ code: "descriptorsRequired", where });
          if (aspect.measurement) issues.push({ code: "measurementOnJudgement", where });
        } else {
          validateMeasurement(aspect.measurement, where, issues);
        }
      });
    }
    const actual = sectionMarks(section);
    const expected = sectionTarget(scheme, section);
    const off = round2(actual - expected);
    if (Math.abs(off) > scheme.tolerance + 1e-9) issues.push({ code: "sectionMismatch", where: sectionWhere, expected, actual, off });
  });
  const weightings = sum(scheme.sections.map((s) => s.weighting));
  if (Math.abs(weightings - 100) > 1e-9) issues.push({ code: "weightingsMismatch", expected: 100, actual: weightings, off: round2(weightings - 100) });
  const actual = schemeMarks(scheme);
  if (Math.abs(actual - scheme.total) > 1e-9) issues.push({ code: "totalMismatch", expected: scheme.total, actual, off: round2(actual - scheme.total) });
  return issues;
}

/** "Section 2 (Visual inspection), criterion B, aspect 3" — the location in plain words. */
export function describeWhere(where: Where | undefined) {
  if (!where) return "";
  let s = `Section ${where.section} (${where.sectionName})`;
  if (where.criterion !== undefined) s += `, criterion ${where.criterion}`;
  if (where.aspect !== undefined) s += `, aspect ${where.aspect}`;
  return s;
}

// ───────────── marks ─────────────

export type MeasurementEntry = { awarded?: boolean; measured?: number; faults?: number };

/** The computed mark of a measurement aspect; null when the entry lacks what the mode needs. */
export function measurementMark(maxMark: number, config: MeasurementConfig, entry: MeasurementEntry): number | null {
  switch (config.mode) {
    case "binary":
      return entry.awarded === undefined ? null : entry.awarded ? maxMark : 0;
    case "bands": {
      if (entry.measured === undefined || !Number.isFinite(entry.measured)) return null;
      const deviation = Math.abs(entry.measured);
      const band = [...config.bands].sort((a, b) => a.upTo - b.upTo).find((b) => deviation <= b.upTo + 1e-9);
      return band ? round2(maxMark * band.fraction) : 0;
    }
    case "deduction": {
      if (entry.faults === undefined || !Number.isInteger(entry.faults) || entry.faults < 0) return null;
      return round2(Math.max(0, maxMark - entry.faults * config.perFault));
    }
  }
}

export function isJudgementScore(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= JUDGEMENT_MAX_SCORE;
}

/** max × mean(scores) / 3; needs at least three scores. */
export function judgementMark(maxMark: number, scores: number[]): number | null {
  if (scores.length < MIN_JUDGES || !scores.every(isJudgementScore)) return null;
  const mean = scores.reduce((a: number, b: number) => a + b, 0) / scores.length;
  return round2((maxMark * mean) / JUDGEMENT_MAX_SCORE);
}

/** Flagged when any two markers' scores differ by more than 1. */
export function judgementFlagged(scores: number[]) {
  if (scores.length < 2) return false;
  return Math.max(...scores) - Math.min(...scores) > JUDGEMENT_MAX_SPREAD;
}

/** One marker's entry for one aspect in one round. */
export type MarkEntry = { markerId: string; round: number; score?: number | null; value?: number | null };

export type AspectState =
  | { status: "open"; mark: null; round: number; flagged: false }
  | { status: "flagged"; mark: null; round: number; flagged: true }
  | { status: "ready"; mark: number; round: number; flagged: false };

/**
 * A judgement aspect's state from all rounds' entries: only the latest round counts (earlier
 * rounds are kept as history). Flagged blocks finalising until the markers re-score in a
 * new round.
 */
export function judgementState(maxMark: number, entries: MarkEntry[]): AspectState {
  const round = entries.reduce((r, e) => Math.max(r, e.round), 1);
  const scores = entries.filter((e) => e.round === round && isJudgementScore(e.score)).map((e) => e.score as number);
  if (judgementFlagged(scores)) return { status: "flagged", mark: null, round, flagged: true };
  const mark = judgementMark(maxMark, scores);
  return mark === null ? { status: "open", mark: null, round, flagged: false } : { status: "ready", mark, round, flagged: false };
}

export type ResultAspect = { id: string; criterion: string; maxMark: number; mark: number | null; flagged: boolean };

/** Totals per criterion and overall; complete only when every aspect has a mark and none is flagged. */
export function totals(aspects: ResultAspect[]) {
  const byCriterion = new Map<string, { criterion: string; max: number; mark: number }>();
  for (const a of aspects) {
    const row = byCriterion.get(a.criterion) ?? { criterion: a.criterion, max: 0, mark: 0 };
    row.max = round2(row.max + a.maxMark);
    row.mark = round2(row.mark + (a.mark ?? 0));
    byCriterion.set(a.criterion, row);
  }
  return {
    criteria: [...byCriterion.values()],
    total: sum(aspects.map((a) => a.mark ?? 0)),
    max: sum(aspects.map((a) => a.maxMark)),
    complete: aspects.length > 0 && aspects.every((a) => a.mark !== null && !a.flagged),
    flagged: aspects.filter((a) => a.flagged).length,
  };
}

/** The next criterion letter after the given codes: A, B, … Z, AA, AB… */
export function nextCriterionCode(codes: string[]) {
  const toN = (c: string) => [...c].reduce((n, ch) => n * 26 + (ch.charCodeAt(0) - 64), 0);
  const toC = (n: number): string => (n <= 0 ? "" : toC(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26)));
  const max = codes.filter((c) => /^[A-Z]+$/.test(c)).reduce((m, c) => Math.max(m, toN(c)), 0);
  return toC(max + 1);
}
