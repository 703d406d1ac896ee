// The bell's list: a user's notifications, newest first, and marking them read.
import { prisma } from "~/domains/db.server";

export function listNotifications(userId: string, take = 100) {
  return prisma.notification.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take });
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
