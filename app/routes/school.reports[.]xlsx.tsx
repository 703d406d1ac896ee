// /school/reports.xlsx: a school's report of /school/reports as XLSX (same period and school).
import { schoolReportLoader } from "~/domains/reports/downloads.server";

export const loader = schoolReportLoader("xlsx");
