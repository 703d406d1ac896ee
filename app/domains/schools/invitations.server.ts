// One-time links for learners a school invited or imported: the learner opens
// /invite/<token>, chooses a password and is logged in. There is no e-mail or SMS here: the
// school admin hands the link out (the printable list at /school/invitations).
//
// A link only works while the account has no password yet, so a second school's pending
// link can never reset the password of a learner who already set one. Only the school that
// created an account (User.createdByOrgId) ever makes or renews its links: another school
// can neither reissue nor invalidate them.
import crypto from "node:crypto";
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import { hashPassword } from "~/domains/auth/password.server";
import type { AuthUser } from "~/domains/auth/roles";
import { canAdministerOrg } from "./permissions.server";
import { isRecordId, isToken } from "./ids";

type Db = Prisma.TransactionClient;

/** Stored as passwordHash for accounts nobody can log in to yet (not an argon2 hash, so never verifies). */
export const NO_PASSWORD = "!no-password";
export const INVITATION_DAYS = 30;

export function hasPassword(user: { passwordHash: string }) {
  return user.passwordHash !== NO_PASSWORD;
}

export function newInvitationToken() {
  return crypto.randomBytes(24).toString("base64url");
}

export function invitationPath(token: string) {
  return `/invite/${token}`;
}

/** The absolute link to hand out, on the host the admin is using. */
export function invitationUrl(request: Request, token: string) {
  return new URL(invitationPath(token), request.url).href;
}

export interface PendingInvitation {
  userId: string;
  token: string;
  expiresAt: Date;
}

/**
 * Makes sure each of these users who has no password and was created by the organisation
 * holds a pending (unused, unexpired) invitation from it; creates only the missing ones, so
 * calling it again changes nothing. Returns the pending invitation of each such user.
 */
export async function ensureInvitations(db: Db, orgId: string, userIds: string[], now = new Date()) {
  const result = new Map<string, PendingInvitation>();
  if (userIds.length === 0) return result;
  const users = await db.user.findMany({ where: { id: { in: userIds }, passwordHash: NO_PASSWORD, createdByOrgId: orgId }, select: { id: true } });
  const ids = users.map((u) => u.id);
  const pending = await db.invitation.findMany({
    where: { orgId, userId: { in: ids }, usedAt: null, expiresAt: { gt: now } },
    orderBy: { expiresAt: "desc" },
  });
  for (const inv of pending) if (!result.has(inv.userId)) result.set(inv.userId, inv);
  const missing = ids.filter((id) => !result.has(id));
  if (missing.length) {
    const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
    const rows = missing.map((userId) => ({ token: newInvitationToken(), userId, orgId, expiresAt }));
    await db.invitation.createMany({ data: rows });
    for (const r of rows) result.set(r.userId, r);
  }
  return result;
}

export type InvitationState = "valid" | "used" | "expired" | "missing";

export async function findInvitation(token: string, now = new Date()) {
  if (!isToken(token)) return { state: "missing" as const, invitation: null };
  const inv = await prisma.invitation.findUnique({
    where: { token },
    include: {
      user: { select: { id: true, name: true, email: true, phone: true, passwordHash: true } },
      org: { select: { name: true } },
    },
  });
  if (!inv) return { state: "missing" as const, invitation: null };
  const state: InvitationState =
    inv.usedAt || hasPassword(inv.user) ? "used" : inv.expiresAt <= now ? "expired" : "valid";
  return {
    state,
    invitation: { name: inv.user.name, email: inv.user.email, phone: inv.user.phone, orgName: inv.org.name, expiresAt: inv.expiresAt },
  };
}

/**
 * Sets the password and spends the link (and any other pending link of the account), once.
 * The token is looked up before the (deliberately slow) password hash, so guessing tokens
 * costs the server nothing.
 */
export async function acceptInvitation(token: string, password: string, now = new Date()) {
  const { state } = await findInvitation(token, now);
  if (state === "missing") return { ok: false as const, reason: "missing" as const };
  if (state !== "valid") return { ok: false as const, reason: "used" as const };
  const passwordHash = await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    const inv = await tx.invitation.findUnique({ where: { token }, select: { userId: true } });
    if (!inv) return { ok: false as const, reason: "missing" as const };
    const spent = await tx.invitation.updateMany({
      where: { token, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (spent.count !== 1) return { ok: false as const, reason: "used" as const };
    // Only an account without a password can be claimed through a link.
    const claimed = await tx.user.updateMany({ where: { id: inv.userId, passwordHash: NO_PASSWORD }, data: { passwordHash } });
    if (claimed.count !== 1) throw new InvitationSpent();
    await tx.invitation.updateMany({ where: { userId: inv.userId, usedAt: null }, data: { usedAt: now } });
    return { ok: true as const, userId: inv.userId };
  }).catch((err) => {
    if (err instanceof InvitationSpent) return { ok: false as const, reason: "used" as const };
    throw err;
  });
}
class InvitationSpent extends Error {}

/** A fresh link for a learner of the organisation who has not set a password yet. */
export async function renewInvitation(actor: Pick<AuthUser, "id" | "role">, orgId: string, learnerId: string, now = new Date()) {
  if (!(await canAdministerOrg(actor, orgId)) || !isRecordId(learnerId)) throw new Response("Not found", { status: 404 });
  const member = await prisma.membership.findUnique({
    where: { orgId_userId: { orgId, userId: learnerId } },
    include: { user: { select: { passwordHash: true, createdByOrgId: true } } },
  });
  if (!member || member.role !== "learner") throw new Response("Not found", { status: 404 });
  if (hasPassword(member.user)) return null;
  // Another school's learner who joined here: their links are not this school's to replace.
  if (member.user.createdByOrgId !== orgId) throw new Response("Not found", { status: 404 });
  return prisma.$transaction(async (tx) => {
    await tx.invitation.deleteMany({ where: { orgId, userId: learnerId, usedAt: null } });
    return (await ensureInvitations(tx, orgId, [learnerId], now)).get(learnerId) ?? null;
  });
}
