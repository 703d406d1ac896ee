// /admin/reports.xlsx: the platform report of /admin/reports as XLSX (same period). Admins only.
import { platformReportLoader } from "~/domains/reports/downloads.server";

export const loader = platformReportLoader("xlsx");
