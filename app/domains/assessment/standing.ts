// Competition standing: ranks, standardised scores and medals from raw totals. Pure (no
// database), shared by the results pages, exports and certificates. The scale is described,
// with a worked example, in docs/assessment-scale.md.

export type Medal = "gold" | "silver" | "bronze" | "excellence" | null;

export interface RawResult {
  id: string;
  raw: number;
}

export interface Standing extends RawResult {
  /** 1-based; equal raw scores share a rank and the next rank skips (1, 1, 3). */
  rank: number;
  /** 700 + 100 × (raw − median) / sd, rounded to an integer; 700 for everyone when sd is 0. */
  standardised: number;
  medal: Medal;
}

export const SCALE_CENTRE = 700;
export const SCALE_SPREAD = 100;

export interface StandingOptions {
  /** Ranks that win a medal, in order: by default rank 1 gold, 2 silver, 3 bronze. */
  medalRanks?: { gold: number; silver: number; bronze: number };
  /** Standardised score at or above which a competitor without a medal gets the medallion for excellence. */
  excellenceFrom?: number;
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Population standard deviation (the whole field is the population). */
export function standardDeviation(values: number[]): number {
  if (values.length === 0) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}

export function standardise(raw: number, med: number, sd: number): number {
  if (!(sd > 0)) return SCALE_CENTRE;
  return Math.round(SCALE_CENTRE + (SCALE_SPREAD * (raw - med)) / sd);
}

/** Standard competition ranking of scores, highest first: ties share the rank (1, 1, 3). */
export function ranks(values: number[]): number[] {
  return values.map((v) => 1 + values.filter((o) => o > v).length);
}

export function medalFor(rank: number, standardised: number, opts: StandingOptions = {}): Medal {
  const m = opts.medalRanks ?? { gold: 1, silver: 2, bronze: 3 };
  if (rank === m.gold) return "gold";
  if (rank === m.silver) return "silver";
  if (rank === m.bronze) return "bronze";
  // Tied above bronze but on a rank that is not a medal rank (e.g. 1, 1, 1, 4): the rank
  // "skipped" by the tie still counts as within the top three, so they keep the better medal.
  if (rank < m.bronze) return rank < m.silver ? "gold" : "silver";
  return standardised >= (opts.excellenceFrom ?? SCALE_CENTRE) ? "excellence" : null;
}

/** The standing of every competitor, sorted by rank (then by id, for a stable order). */
export function computeStanding(results: RawResult[], opts: StandingOptions = {}): Standing[] {
  for (const r of results) if (!Number.isFinite(r.raw)) throw new Error(`raw score of ${r.id} is not a number`);
  const raws = results.map((r) => r.raw);
  const med = median(raws);
  const sd = standardDeviation(raws);
  const rk = ranks(raws);
  return results
    .map((r, i) => {
      const standardised = standardise(r.raw, med, sd);
      return { ...r, rank: rk[i], standardised, medal: medalFor(rk[i], standardised, opts) };
    })
    .sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
