// /school/reports.csv: a school's report of /school/reports as CSV (same period and school).
import { schoolReportLoader } from "~/domains/reports/downloads.server";

export const loader = schoolReportLoader("csv");
