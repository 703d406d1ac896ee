// In-app notifications (the bell) and their e-mails. A notice is stored in the caller's
// transaction, so it exists exactly when the change it reports was committed; its e-mail is
// sent after the commit (deliver), in the recipient's language and time zone.
import type { Prisma } from "@prisma/client";
import { formatRange } from "~/utils/datetime";
import { queueMail, type MailAttachment, type MailMessage } from "./mail.server";
import { translator } from "./translate.server";

export type Db = Prisma.TransactionClient;

export interface Notice {
  userId: string;
  /** Translation key under "notify." in the scheduling namespace, also stored as the kind. */
  kind: string;
  /** Site-relative link, e.g. /schedule/bookings/abc. */
  url: string;
  params?: Record<string, string | number>;
  /** When the notice is about a session: shown in the recipient's zone. */
  when?: { start: Date; end: Date };
  attachments?: MailAttachment[];
}

export function publicUrl() {
  return (process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, "");
}

function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Stores the notices and returns the e-mails to send once the transaction has committed. */
export async function createNotices(db: Db, notices: Notice[]): Promise<MailMessage[]> {
  if (notices.length === 0) return [];
  const ids = [...new Set(notices.map((n) => n.userId))];
  const users = new Map(
    (await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true, locale: true, timeZone: true } })).map((u) => [u.id, u]),
  );
  const mails: MailMessage[] = [];
  const rows: Prisma.NotificationCreateManyInput[] = [];
  for (const n of notices) {
    const user = users.get(n.userId);
    if (!user) continue;
    const t = translator(user.locale, "scheduling");
    const when = n.when ? formatRange(n.when.start, n.when.end, { locale: user.locale, timeZone: user.timeZone }) : "";
    const vars = { ...n.params, when };
    const title = t(`notify.${n.kind}.title`, vars);
    const body = t(`notify.${n.kind}.body`, vars);
    rows.push({ userId: n.userId, kind: n.kind, title, body, url: n.url });
    if (user.email) {
      const link = `${publicUrl()}${n.url}`;
      const footer = t("notify.mailFooter");
      mails.push({
        to: user.email,
        subject: `${title} · SkillRelay`,
        text: `${body}\n\n${link}\n\n— ${footer}`,
        html: `<p>${escapeHtml(body)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(t("notify.open"))}</a></p><p style="color:#64748b">— ${escapeHtml(footer)}</p>`,
        attachments: n.attachments,
      });
    }
  }
  if (rows.length) await db.notification.createMany({ data: rows });
  return mails;
}

export function deliver(mails: MailMessage[]) {
  for (const m of mails) queueMail(m);
}
