import { prisma } from "~/domains/db.server";

export function countUnread(userId: string) {
  return prisma.notification.count({ where: { userId, readAt: null } });
}
