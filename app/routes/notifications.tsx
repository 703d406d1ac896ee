import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/domains/auth/session.server";
import { getUserTimeZone } from "~/domains/scheduling/profile.server";
import { listNotifications, markAllRead, markRead } from "~/domains/notifications/inbox.server";
import { formatDateTime } from "~/utils/datetime";
import { formOf, requestLocale } from "~/domains/scheduling/http.server";
import { EmptyState, Page } from "~/components/ui/layout";
import { safeRedirect } from "~/domains/auth/validation";

export const meta: MetaFunction = () => [{ title: "Notifications · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [locale, tz] = await Promise.all([requestLocale(request), getUserTimeZone(user.id)]);
  const items = await listNotifications(user.id, { locale, timeZone: tz });
  return {
    items: items.map((n) => ({
      id: n.id,
      title: n.title,
      body: n.body,
      url: n.url,
      unread: !n.readAt,
      at: formatDateTime(n.createdAt, { locale, timeZone: tz }),
    })),
    unread: items.filter((n) => !n.readAt).length,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { fields, intent } = await formOf(request);
  if (intent === "read-all") {
    await markAllRead(user.id);
    throw redirect("/notifications");
  }
  const n = await markRead(user.id, fields.id ?? "");
  // "open": follow the notification's own (site-relative) link once it is marked read.
  if (intent === "open" && n?.url) throw redirect(safeRedirect(n.url, "/notifications"));
  throw redirect("/notifications");
}

export default function Notifications() {
  const { t } = useTranslation("scheduling");
  const d = useLoaderData<typeof loader>();
  return (
    <Page
      title={t("notifications.title")}
      lead={d.unread ? t("notifications.unread", { count: d.unread }) : t("notifications.allRead")}
      actions={
        d.unread ? (
          <Form method="post">
            <input type="hidden" name="intent" value="read-all" />
            <button type="submit" className="rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-700 hover:bg-slate-50">
              {t("notifications.markAll")}
            </button>
          </Form>
        ) : null
      }
    >
      {d.items.length ? (
        <ul className="divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm" data-testid="notifications">
          {d.items.map((n) => (
            <li key={n.id} className={"flex flex-wrap items-start gap-3 p-4 " + (n.unread ? "bg-brand-50/60" : "")}>
              <span aria-hidden className={"mt-2 h-2.5 w-2.5 shrink-0 rounded-full " + (n.unread ? "bg-accent-500" : "bg-transparent")} />
              <div className="min-w-0 flex-1">
                <p className={n.unread ? "font-semibold" : "font-medium text-slate-700"}>
                  {n.unread ? <span className="sr-only">{t("notifications.new")}: </span> : null}
                  {n.title}
                </p>
                {n.body ? <p className="mt-0.5 text-sm text-slate-600">{n.body}</p> : null}
                <p className="mt-1 text-xs text-slate-500">{n.at}</p>
              </div>
              <div className="flex shrink-0 gap-2">
                {n.url ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="open" />
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700">
                      {t("notifications.open")}
                    </button>
                  </Form>
                ) : null}
                {n.unread ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="read" />
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50">
                      {t("notifications.markRead")}
                    </button>
                  </Form>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState>{t("notifications.empty")}</EmptyState>
      )}
    </Page>
  );
}
