// The one notification path: in-app notifications (the bell) and their e-mails, for every
// domain. A notice is stored in the caller's transaction, so it exists exactly when the change
// it reports was committed; its e-mail is sent after the commit (deliver). Both are written in
// the language and time zone the recipient uses now: the e-mail at send time, the bell's text
// each time it is shown (from the stored kind and params, see renderStored).
import type { Prisma } from "@prisma/client";
import { formatDateTime, formatRange } from "~/utils/datetime";
import { queueMail, type MailAttachment, type MailMessage } from "./mail.server";
import { translator } from "./translate.server";

export type Db = Prisma.TransactionClient;
export type { MailMessage };

export interface Notice {
  userId: string;
  /** Translation key under "notify." in the scheduling namespace, also stored as the kind. */
  kind: string;
  /** Site-relative link, e.g. /schedule/bookings/abc. */
  url: string;
  params?: Record<string, string | number>;
  /** When the notice is about a session: shown in the recipient's zone as {{when}}. */
  when?: { start: Date; end: Date };
  /** A due date, shown in the recipient's zone as {{due}}. */
  due?: Date;
  attachments?: MailAttachment[];
}

/** Why the person gets the e-mail (its footer), by the kind of notice; bookings otherwise. */
const FOOTER_BY_KIND: Record<string, string> = {
  schoolJoinRequest: "notify.footerSchool",
  courseAssigned: "notify.footerSchool",
  schoolEnrolled: "notify.footerSchool",
  liveInvite: "notify.footerLive",
  taskSubmitted: "notify.footerCourse",
  "assessment:certificates.notifyIssued": "notify.footerCourse",
  "assessment:certificates.notifyRevoked": "notify.footerCourse",
  orgVerified: "notify.footerSchool",
  orgRejected: "notify.footerSchool",
  resultReleased: "notify.footerCourse",
  competitionInvited: "notify.footerCourse",
  competitionMarker: "notify.footerCourse",
  competitionResult: "notify.footerCourse",
  competitionChanged: "notify.footerCourse",
  competitionCancelled: "notify.footerCourse",
  competitionRemoved: "notify.footerCourse",
};

export function footerKey(kind: string) {
  return FOOTER_BY_KIND[kind] ?? "notify.mailFooter";
}

export function publicUrl() {
  return (process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, "");
}

function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** What is stored beside the notification: the caller's params and the instants, as ISO strings. */
type StoredParams = Record<string, string | number> & { $whenStart?: string; $whenEnd?: string; $due?: string };

function storedParams(n: Notice): StoredParams {
  const p: StoredParams = { ...n.params };
  if (n.when) {
    p.$whenStart = n.when.start.toISOString();
    p.$whenEnd = n.when.end.toISOString();
  }
  if (n.due) p.$due = n.due.toISOString();
  return p;
}

export interface Reader {
  locale: string;
  timeZone: string;
}

/** Title and body of a notice for one reader, in their language and zone. */
export function renderNotice(kind: string, params: StoredParams, reader: Reader) {
  const t = translator(reader.locale, "scheduling");
  const { $whenStart, $whenEnd, $due, ...rest } = params;
  const when = $whenStart && $whenEnd ? formatRange(new Date($whenStart), new Date($whenEnd), { locale: reader.locale, timeZone: reader.timeZone }) : "";
  const due = $due ? formatDateTime(new Date($due), { locale: reader.locale, timeZone: reader.timeZone }) : "";
  const vars = { ...rest, when, due };
  // A kind with a namespace ("assessment:certificates.notifyIssued") is its own full key.
  const base = kind.includes(":") ? kind : `notify.${kind}`;
  return { title: t(`${base}.title`, vars), body: t(`${base}.body`, vars) };
}

/** A stored notification as its reader sees it now; rows from before params were kept keep their text. */
export function renderStored(n: { kind: string; title: string; body: string; params: Prisma.JsonValue | null }, reader: Reader) {
  if (!n.params || typeof n.params !== "object" || Array.isArray(n.params)) return { title: n.title, body: n.body };
  return renderNotice(n.kind, n.params as StoredParams, reader);
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
    const params = storedParams(n);
    const { title, body } = renderNotice(n.kind, params, user);
    rows.push({ userId: n.userId, kind: n.kind, title, body, url: n.url, params });
    if (user.email) {
      const t = translator(user.locale, "scheduling");
      const link = `${publicUrl()}${n.url}`;
      const footer = t(footerKey(n.kind));
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

/** The applicant hears whether their expert application was approved or rejected (with the reason). */
export function notifyExpertApplicationDecision(db: Db, input: { userId: string; approved: boolean; reason: string }) {
  return createNotices(db, [
    input.approved
      ? { userId: input.userId, kind: "expertApproved", url: "/schedule/availability" }
      : { userId: input.userId, kind: "expertRejected", url: "/experts/apply", params: { reason: input.reason } },
  ]);
}

/** The organisation's admins hear whether a platform admin verified or rejected it (with the reason). */
export function notifyOrganisationDecision(db: Db, input: { userIds: string[]; org: string; verified: boolean; reason: string }) {
  return createNotices(
    db,
    input.userIds.map((userId): Notice =>
      input.verified
        ? { userId, kind: "orgVerified", url: "/school/import", params: { org: input.org } }
        : // /schools/apply lists the user's organisations with the reason, whatever their role.
          { userId, kind: "orgRejected", url: "/schools/apply", params: { org: input.org, reason: input.reason } },
    ),
  );
}
