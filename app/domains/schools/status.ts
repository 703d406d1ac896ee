// Where a learner stands on an assigned course. Pure, shared by the cohort page, its chart
// and the CSV export.
export type AssignmentStatus = "completed" | "overdue" | "inProgress" | "notStarted";

export const STATUSES: AssignmentStatus[] = ["completed", "inProgress", "notStarted", "overdue"];

export function assignmentStatus(p: { completed: number; total: number }, dueAt: Date, now = new Date()): AssignmentStatus {
  if (p.total > 0 && p.completed >= p.total) return "completed";
  if (dueAt.getTime() < now.getTime()) return "overdue";
  return p.completed > 0 ? "inProgress" : "notStarted";
}

// Schools set due dates as calendar days. Mainland China has one time zone and no daylight
// saving, so a due date is the end of that day at UTC+08:00.
export const SCHOOL_TIME_ZONE = "Asia/Shanghai";

export function dueAtFromDate(day: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const check = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== day) return null;
  return new Date(`${day}T23:59:59.999+08:00`);
}

/** The calendar day (YYYY-MM-DD) of an instant at UTC+08:00. */
export function dateInSchoolZone(at: Date) {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
