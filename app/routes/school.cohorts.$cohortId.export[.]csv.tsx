// The cohort's progress as CSV: one line per learner and assigned course. UTF-8 with a BOM
// and CRLF line ends, so Excel on Chinese Windows shows names correctly.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { i18next } from "~/i18next.server";
import { cohortReport } from "~/domains/schools/cohorts.server";
import { toCsv } from "~/domains/schools/csv";
import { dateInSchoolZone } from "~/domains/schools/status";
import { formatDateTime } from "~/utils/datetime";
import { fileDownload } from "~/utils/download.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const report = await cohortReport(user, params.cohortId ?? "");
  const locale = await i18next.getLocale(request);
  const t = await i18next.getFixedT(locale, "schools");
  const header = ["name", "phone", "email", "idNumber", "course", "dueDate", "completedLessons", "totalLessons", "percent", "studyMinutes", "lastActivity", "status"].map((k) =>
    t(`export.${k}`),
  );
  const rows: Array<Array<string | number>> = [header];
  for (const l of report.learners) {
    report.assignments.forEach((a, i) => {
      const c = l.cells[i];
      rows.push([
        l.name,
        l.phone ?? "",
        l.email ?? "",
        l.idMasked,
        a.courseTitle,
        dateInSchoolZone(a.dueAt),
        c.completed,
        c.total,
        c.percent,
        c.completedMinutes,
        c.lastActivityAt ? formatDateTime(c.lastActivityAt, { locale, timeZone: user.timeZone }) : "",
        t(`status.${c.status}`),
      ]);
    });
  }
  const day = dateInSchoolZone(new Date());
  const fileName = `${report.cohort.name}-${day}.csv`;
  return fileDownload(toCsv(rows), fileName, { asciiName: `cohort-${day}.csv` });
}
