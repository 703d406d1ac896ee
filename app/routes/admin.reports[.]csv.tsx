// /admin/reports.csv: the platform report of /admin/reports as CSV (same period). Admins only.
import { platformReportLoader } from "~/domains/reports/downloads.server";

export const loader = platformReportLoader("csv");
