// A live session's analytics (the session page's table) as CSV: per participant minutes
// attended, talk seconds, hands, polls answered of polls held, and the count of connection
// readings per quality. The session's host and admins only.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/domains/auth/session.server";
import { requireSessionModerator } from "~/domains/live/sessions.server";
import { analyticsCsvRows, sessionAnalytics } from "~/domains/live/stats.server";
import { toCsv } from "~/domains/schools/csv";
import { fileDownload } from "~/utils/download.server";
import { i18next } from "~/i18next.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessionId = params.sessionId ?? "";
  await requireSessionModerator(user, sessionId);
  const [analytics, t] = await Promise.all([sessionAnalytics(sessionId), i18next.getLocale(request).then((locale) => i18next.getFixedT(locale, "live"))]);
  const csv = toCsv(analyticsCsvRows(analytics, { header: t("analytics.csv.header", { returnObjects: true }) as unknown as string[] }));
  return fileDownload(csv, `session-${sessionId}-analytics.csv`);
}
