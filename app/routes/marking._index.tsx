import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Badge } from "~/components/ui/feedback";
import { Card, EmptyState, Page } from "~/components/ui/layout";
import { requireUser } from "~/domains/auth/session.server";
import { markingQueue } from "~/domains/assessment/marking.server";
import { dateOptions } from "~/utils/datetime.server";
import { formatDateTime } from "~/utils/datetime";

export const meta: MetaFunction = () => [{ title: "Marking · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [queue, dates] = await Promise.all([markingQueue(user), dateOptions(request, user)]);
  return { queue: queue.map((q) => ({ ...q, createdAt: formatDateTime(q.createdAt, dates) })) };
}

export default function MarkingQueue() {
  const { queue } = useLoaderData<typeof loader>();
  const { t } = useTranslation("assessment");
  return (
    <Page title={t("marking.queueTitle")} lead={t("marking.queueLead")}>
      <Card>
        {queue.length ? (
          <ul className="divide-y">
            {queue.map((q) => (
              <li key={q.id} className="flex flex-col gap-1 py-3 sm:flex-row sm:items-center sm:justify-between">
                <Link className="font-medium underline" to={`/marking/${q.id}`}>
                  {q.lesson} · {q.learner}
                </Link>
                <span className="flex items-center gap-2 text-sm text-slate-600">
                  {q.createdAt}
                  {q.released ? <Badge tone="success">{t("marking.released")}</Badge> : q.started ? <Badge tone="info">{t("marking.inProgress")}</Badge> : <Badge>{t("marking.notStarted")}</Badge>}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>{t("marking.queueEmpty")}</EmptyState>
        )}
      </Card>
    </Page>
  );
}
