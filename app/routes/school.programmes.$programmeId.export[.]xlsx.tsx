// The programme's subsidy claim as XLSX with FULL ID numbers (docs/records-export.md); audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { programmeExportResponse } from "~/domains/records/export.server";
import { exportQuerySchema } from "~/domains/records/validation";
import { i18next } from "~/i18next.server";
import { urlId } from "~/utils/input";
import { parseOr400, searchParamsOf } from "~/utils/input.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const id = parseOr400(urlId(), params.programmeId, "programme id");
  const query = parseOr400(exportQuerySchema, searchParamsOf(request), "period");
  const t = await i18next.getFixedT(await i18next.getLocale(request), "records");
  return programmeExportResponse(user, id, "xlsx", (k) => t(k), query);
}
