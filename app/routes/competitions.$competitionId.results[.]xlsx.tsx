// The competition's results table as XLSX (rank, name, criteria, raw, standardised, medal): the creator only.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/domains/auth/session.server";
import { competitionExportResponse } from "~/domains/assessment/competitions.server";
import { i18next } from "~/i18next.server";
import { parseOr400 } from "~/utils/input.server";
import { urlId } from "~/utils/input";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = parseOr400(urlId(), params.competitionId, "competition id");
  return competitionExportResponse(user, id, "xlsx", await i18next.getLocale(request));
}
