// The bell's list: a user's notifications, newest first, and marking them read. Each is shown
// in the language and zone the user has now, not the one they had when it was sent.
import { prisma } from "~/domains/db.server";
import { renderStored, type Reader } from "./notify.server";

/** `as`: the page's language and zone; the user's saved ones otherwise. */
export async function listNotifications(userId: string, as?: Reader, take = 100) {
  const [reader, rows] = await Promise.all([
    as ?? prisma.user.findUnique({ where: { id: userId }, select: { locale: true, timeZone: true } }),
    prisma.notification.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take }),
  ]);
  if (!reader) return [];
  return rows.map((n) => ({ ...n, ...renderStored(n, reader) }));
}

/** Marks one of the user's notifications read; returns it (null if it is not theirs). */
export async function markRead(userId: string, id: string) {
  const n = await prisma.notification.findFirst({ where: { id, userId } });
  if (n && !n.readAt) await prisma.notification.update({ where: { id }, data: { readAt: new Date() } });
  return n;
}

export async function markAllRead(userId: string) {
  await prisma.notification.updateMany({ where: { userId, readAt: null }, data: { readAt: new Date() } });
}
