// The polls of a live session as CSV (one line per answer; anonymous polls without names),
// for the session's host and admins only. UTF-8 with a BOM and CRLF line ends (Excel).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/domains/auth/session.server";
import { pollsCsv, sessionPolls } from "~/domains/live/polls.server";
import { requireSessionModerator } from "~/domains/live/sessions.server";
import { fileDownload } from "~/utils/download.server";
import { i18next } from "~/i18next.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessionId = params.sessionId ?? "";
  await requireSessionModerator(user, sessionId);
  const polls = await sessionPolls(sessionId);
  const locale = await i18next.getLocale(request);
  const t = await i18next.getFixedT(locale, "live");
  const csv = pollsCsv(polls, {
    header: t("polls.csv.header", { returnObjects: true }) as unknown as string[],
    kinds: {
      single: t("polls.kinds.single"),
      multiple: t("polls.kinds.multiple"),
      true_false: t("polls.kinds.true_false"),
      short: t("polls.kinds.short"),
    },
    yes: t("polls.csv.yes"),
    no: t("polls.csv.no"),
    trueLabel: t("polls.true"),
    falseLabel: t("polls.false"),
    anonymous: t("polls.csv.anonymousName"),
  });
  return fileDownload(csv, `session-${sessionId}-polls.csv`);
}
