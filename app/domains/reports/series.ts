// Report arithmetic (issues 10 and 12), pure: month buckets in the records' zone and the
// per-learner figures folded into rows by county and by priority group.
import { zonedParts } from "~/domains/scheduling/tz";
import { RECORDS_TIME_ZONE } from "~/domains/records/ledger";

/** "YYYY-MM" of an instant, in the records' zone (a school's month in China). */
export function monthOf(instant: Date, timeZone = RECORDS_TIME_ZONE) {
  return zonedParts(instant, timeZone).date.slice(0, 7);
}

/** The `count` months ending with `last` ("YYYY-MM"), oldest first. */
export function monthKeys(last: string, count: number): string[] {
  const [y, m] = last.split("-").map(Number);
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const index = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`);
  }
  return out;
}

export interface MonthRow {
  month: string;
  newLearners: number;
  hours: number;
  completions: number;
  certificates: number;
  liveSessions: number;
}

export type MonthMetric = Exclude<keyof MonthRow, "month">;

/** Counts (or sums) events into the given months; events outside them are left out. */
export function bucketByMonth(months: string[], events: Partial<Record<MonthMetric, Array<{ month: string; value?: number }>>>): MonthRow[] {
  const rows = new Map(months.map((month) => [month, { month, newLearners: 0, hours: 0, completions: 0, certificates: 0, liveSessions: 0 } as MonthRow]));
  for (const [metric, list] of Object.entries(events) as Array<[MonthMetric, Array<{ month: string; value?: number }>]>) {
    for (const e of list) {
      const row = rows.get(e.month);
      if (row) row[metric] += e.value ?? 1;
    }
  }
  return [...rows.values()].map((r) => ({ ...r, hours: Math.round(r.hours * 10) / 10 }));
}

export interface LearnerFigures {
  userId: string;
  countyCode: string | null;
  priorityKeys: string[];
  minutes: number;
  completions: number;
  certificates: number;
}

export interface GroupRow {
  key: string;
  learners: number;
  hours: number;
  completions: number;
  certificates: number;
}

function add(rows: Map<string, GroupRow>, key: string, l: LearnerFigures) {
  const row = rows.get(key) ?? { key, learners: 0, hours: 0, completions: 0, certificates: 0 };
  row.learners += 1;
  row.hours += l.minutes / 60;
  row.completions += l.completions;
  row.certificates += l.certificates;
  rows.set(key, row);
}

const rounded = (r: GroupRow) => ({ ...r, hours: Math.round(r.hours * 10) / 10 });

/** One row per county (learners without a county under ""), biggest first. */
export function byCounty(learners: LearnerFigures[]): GroupRow[] {
  const rows = new Map<string, GroupRow>();
  for (const l of learners) add(rows, l.countyCode ?? "", l);
  return [...rows.values()].map(rounded).sort((a, b) => b.learners - a.learners || a.key.localeCompare(b.key));
}

/**
 * One row per priority group; a learner in two groups counts in both, a learner in none
 * under "". The rows therefore do not add up to the total, and the page says so.
 */
export function byPriorityGroup(learners: LearnerFigures[], groupOrder: string[]): GroupRow[] {
  const rows = new Map<string, GroupRow>();
  for (const l of learners) {
    const keys = [...new Set(l.priorityKeys)];
    if (keys.length === 0) add(rows, "", l);
    for (const k of keys) add(rows, k, l);
  }
  const rank = (k: string) => (k === "" ? Number.MAX_SAFE_INTEGER : groupOrder.indexOf(k) === -1 ? groupOrder.length : groupOrder.indexOf(k));
  return [...rows.values()].map(rounded).sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

/** Learners from designated poverty counties against the others (and those without a county). */
export function byPovertyCounty(learners: LearnerFigures[], povertyCounties: Set<string>): GroupRow[] {
  const rows = new Map<string, GroupRow>();
  for (const l of learners) add(rows, l.countyCode == null ? "unknown" : povertyCounties.has(l.countyCode) ? "poverty" : "other", l);
  return ["poverty", "other", "unknown"].filter((k) => rows.has(k)).map((k) => rounded(rows.get(k)!));
}
