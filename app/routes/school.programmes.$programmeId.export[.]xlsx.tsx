// The programme's subsidy claim with FULL ID numbers (docs/records-export.md); audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { i18next } from "~/i18next.server";
import { exportProgramme } from "~/domains/records/export.server";
import { parseOr400 } from "~/utils/input.server";
import { urlId } from "~/utils/input";
import { todayIn } from "~/domains/scheduling/tz";
import { RECORDS_TIME_ZONE } from "~/domains/records/ledger";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const id = parseOr400(urlId(), params.programmeId, "programme id");
  const locale = await i18next.getLocale(request);
  const t = await i18next.getFixedT(locale, "records");
  const { body } = await exportProgramme(user, id, "xlsx", (k) => t(k));
  const ascii = `programme-${todayIn(RECORDS_TIME_ZONE)}.xlsx`;
  return new Response(body, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${ascii}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
