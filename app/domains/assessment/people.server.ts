import { prisma } from "~/domains/db.server";

/** The id of an expert account with this e-mail, or null. */
export async function findExpertByEmail(email: string) {
  const user = await prisma.user.findFirst({ where: { email: email.trim().toLowerCase(), role: "expert" }, select: { id: true } });
  return user?.id ?? null;
}
