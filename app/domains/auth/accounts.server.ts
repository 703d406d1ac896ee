// Accounts people can keep: sign-up by e-mail or phone (the address proven by a code before
// the account exists), log-in by a code, password reset, proving an address later, changing
// the password. See docs/decisions/008-accounts-verification-limits.md.
import type { VerificationPurpose } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import { checkCode, issueCode, targetValue, type CheckResult, type IssueResult, type Target } from "./codes.server";
import { announceAccessChange } from "./events.server";
import { passwordChangeAccountLimiter, passwordResetAddressLimiter, signupAddressLimiter } from "./limits.server";
import { hashPassword, verifyPassword } from "./password.server";

function userWhere(target: Target) {
  return "email" in target ? { email: target.email } : { phone: target.phone };
}

function verifiedField(target: Target) {
  return "email" in target ? { emailVerifiedAt: new Date() } : { phoneVerifiedAt: new Date() };
}

interface SignupPayload {
  name: string;
  passwordHash: string;
  locale: string;
}

/**
 * Step 1 of sign-up. The same answer whether or not the address has an account: a ticket for
 * a code page. A new address gets a code; a registered one gets a note to its owner.
 */
export async function startSignup(input: { name: string; login: Target; password: string; locale: string; ip: string }): Promise<IssueResult> {
  const limited = await signupAddressLimiter.consume(input.ip);
  if (!limited.ok) return limited;
  // Hashed either way, so the answer takes as long for a registered address.
  const passwordHash = await hashPassword(input.password);
  const existing = await prisma.user.findUnique({ where: userWhere(input.login), select: { id: true } });
  const payload: SignupPayload = { name: input.name, passwordHash, locale: input.locale };
  return issueCode({
    purpose: "signup",
    target: input.login,
    delivery: existing ? "already_registered" : "code",
    locale: input.locale,
    ip: input.ip,
    payload: existing ? undefined : { ...payload },
  });
}

export type CompleteResult = { ok: true; userId: string } | Exclude<CheckResult, { ok: true }> | { ok: false; reason: "taken" };

/** Step 2 of sign-up: the right code creates the account, its address already verified. */
export async function completeSignup(ticket: string, code: string, ip: string): Promise<CompleteResult> {
  const checked = await checkCode(ticket, code, "signup", ip);
  if (!checked.ok) return checked;
  const payload = checked.row.payload as unknown as SignupPayload | null;
  if (!payload) return { ok: false, reason: "invalid" };
  const target: Target = checked.row.channel === "email" ? { email: checked.row.target } : { phone: checked.row.target };
  try {
    const user = await prisma.user.create({
      data: {
        name: payload.name,
        passwordHash: payload.passwordHash,
        locale: payload.locale,
        role: "learner",
        ...userWhere(target),
        ...verifiedField(target),
      },
    });
    return { ok: true, userId: user.id };
  } catch (err) {
    // Someone else completed a sign-up for this address in the meantime.
    if ((err as { code?: string }).code === "P2002") return { ok: false, reason: "taken" };
    throw err;
  }
}

/** Log-in by a code sent to the account's phone (or e-mail). Unknown addresses get a ticket too. */
export async function startCodeLogin(input: { login: Target; locale: string; ip: string }): Promise<IssueResult> {
  const user = await prisma.user.findUnique({ where: userWhere(input.login), select: { id: true, locale: true } });
  return issueCode({
    purpose: "login",
    target: input.login,
    delivery: user ? "code" : "none",
    locale: user?.locale ?? input.locale,
    ip: input.ip,
    userId: user?.id,
  });
}

/** The account a right log-in code belongs to; receiving the code also proves the address. */
export async function completeCodeLogin(ticket: string, code: string, ip: string): Promise<CompleteResult> {
  return completeForUser(ticket, code, "login", ip);
}

async function completeForUser(ticket: string, code: string, purpose: VerificationPurpose, ip: string): Promise<CompleteResult> {
  const checked = await checkCode(ticket, code, purpose, ip);
  if (!checked.ok) return checked;
  const { userId, channel, target } = checked.row;
  if (!userId) return { ok: false, reason: "invalid" };
  const t: Target = channel === "email" ? { email: target } : { phone: target };
  // Only while the account still has that address.
  const updated = await prisma.user.updateMany({ where: { id: userId, ...userWhere(t) }, data: verifiedField(t) });
  if (updated.count === 0) return { ok: false, reason: "spent" };
  return { ok: true, userId };
}

export async function startPasswordReset(input: { login: Target; locale: string; ip: string }): Promise<IssueResult> {
  const limited = await passwordResetAddressLimiter.consume(input.ip);
  if (!limited.ok) return limited;
  const user = await prisma.user.findUnique({ where: userWhere(input.login), select: { id: true, locale: true } });
  return issueCode({
    purpose: "password_reset",
    target: input.login,
    delivery: user ? "code" : "none",
    locale: user?.locale ?? input.locale,
    ip: input.ip,
    userId: user?.id,
  });
}

/** A right reset code sets the new password and ends every session of the account. */
export async function completePasswordReset(ticket: string, code: string, newPassword: string, ip: string): Promise<CompleteResult> {
  const checked = await checkCode(ticket, code, "password_reset", ip);
  if (!checked.ok) return checked;
  const { userId, channel, target } = checked.row;
  if (!userId) return { ok: false, reason: "invalid" };
  const t: Target = channel === "email" ? { email: target } : { phone: target };
  const passwordHash = await hashPassword(newPassword);
  const updated = await prisma.user.updateMany({ where: { id: userId, ...userWhere(t) }, data: { passwordHash, ...verifiedField(t) } });
  if (updated.count === 0) return { ok: false, reason: "spent" };
  await prisma.session.deleteMany({ where: { userId } });
  announceAccessChange({ userId, reason: "password_changed" });
  return { ok: true, userId };
}

/** Sends a code to the user's own e-mail or phone, to prove it. */
export async function startVerification(user: { id: string; locale: string }, channel: "email" | "sms", ip: string): Promise<IssueResult | { ok: false; reason: "nothing" }> {
  const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { email: true, phone: true, emailVerifiedAt: true, phoneVerifiedAt: true } });
  const target: Target | null =
    channel === "email" ? (row.email && !row.emailVerifiedAt ? { email: row.email } : null) : row.phone && !row.phoneVerifiedAt ? { phone: row.phone } : null;
  if (!target) return { ok: false, reason: "nothing" };
  return issueCode({
    purpose: channel === "email" ? "verify_email" : "verify_phone",
    target,
    delivery: "code",
    locale: user.locale,
    ip,
    userId: user.id,
  });
}

/** A right code for one of the user's own tickets marks that address verified. */
export async function completeVerification(userId: string, ticket: string, code: string, ip: string): Promise<CompleteResult> {
  const row = await prisma.verificationCode.findUnique({ where: { id: ticket }, select: { userId: true, purpose: true } });
  if (!row || row.userId !== userId || (row.purpose !== "verify_email" && row.purpose !== "verify_phone")) return { ok: false, reason: "spent" };
  return completeForUser(ticket, code, row.purpose, ip);
}

export type ChangeResult = { ok: true; endedSessions: number } | { ok: false; reason: "wrongPassword" } | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/** Needs the current password; ends every other session of the account. */
export async function changePassword(userId: string, currentSessionId: string, current: string, next: string): Promise<ChangeResult> {
  const limited = await passwordChangeAccountLimiter.consume(userId);
  if (!limited.ok) return { ok: false, reason: "throttled", retryAfterSeconds: limited.retryAfterSeconds };
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } });
  if (!(await verifyPassword(user.passwordHash, current))) return { ok: false, reason: "wrongPassword" };
  await prisma.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(next) } });
  const others = await prisma.session.findMany({ where: { userId, id: { not: currentSessionId } }, select: { id: true } });
  const ids = others.map((s) => s.id);
  if (ids.length) await prisma.session.deleteMany({ where: { id: { in: ids } } });
  announceAccessChange({ userId, sessionIds: ids, reason: "password_changed" });
  return { ok: true, endedSessions: ids.length };
}

export async function verificationState(userId: string) {
  const u = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { email: true, phone: true, emailVerifiedAt: true, phoneVerifiedAt: true },
  });
  return {
    email: u.email,
    phone: u.phone,
    emailVerified: Boolean(u.emailVerifiedAt),
    phoneVerified: Boolean(u.phoneVerifiedAt),
    /** Nothing proven yet: the banner asks to verify. */
    unverified: (u.email ? !u.emailVerifiedAt : true) && (u.phone ? !u.phoneVerifiedAt : true),
  };
}


/** The language notices and e-mails use when the person is not looking at a page. */
export async function setPreferredLocale(userId: string, locale: string) {
  await prisma.user.update({ where: { id: userId }, data: { locale } });
}
