import crypto from "node:crypto";
import { redirect } from "@remix-run/node";
import type { Session } from "lucia";
import { prisma } from "~/domains/db.server";
import { announceAccessChange } from "./events.server";
import { lucia } from "./lucia.server";
import { hashPassword, verifyPassword } from "./password.server";
import {
  consumeAll,
  loginAccountLimiter,
  loginAddressLimiter,
  loginDelayMs,
  loginPairLimiter,
} from "./limits.server";
import { hasRole, type AuthUser, type Role } from "./roles";
import { loginFailures } from "~/domains/metrics.server";
import { noteRequestUser } from "~/domains/request-context.server";

export interface Auth {
  user: AuthUser | null;
  session: Session | null;
  /** A Set-Cookie value to send back: a refreshed session cookie, or a blank one. */
  setCookie: string | null;
}

// Several loaders of one request ask for the user: validate the cookie once per Request.
const cache = new WeakMap<Request, Promise<Auth>>();

export function getAuth(request: Request): Promise<Auth> {
  let pending = cache.get(request);
  if (!pending) {
    pending = validateCookieHeader(request.headers.get("Cookie"));
    cache.set(request, pending);
  }
  return pending;
}

export async function validateCookieHeader(cookieHeader: string | null | undefined): Promise<Auth> {
  const sessionId = lucia.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return { user: null, session: null, setCookie: null };
  const { session, user } = await lucia.validateSession(sessionId);
  if (!session || !user || user.disabledAt) {
    // A disabled account's sessions are deleted when it is disabled; one made since is ended here.
    if (session && user?.disabledAt) await lucia.invalidateSession(session.id);
    return { user: null, session: null, setCookie: lucia.createBlankSessionCookie().serialize() };
  }
  noteRequestUser(user.id);
  await touchSession(session.id, session.lastUsedAt);
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale, timeZone: user.timeZone },
    session,
    setCookie: session.fresh ? lucia.createSessionCookie(session.id).serialize() : null,
  };
}

export async function getUser(request: Request) {
  return (await getAuth(request)).user;
}

/** The logged-in user, or a redirect to the log-in page that comes back here afterwards. */
export async function requireUser(request: Request): Promise<AuthUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const params = new URLSearchParams({ redirectTo: url.pathname + url.search });
    throw redirect(`/login?${params}`);
  }
  return user;
}

/** The logged-in user if they hold one of the roles (admins always do), else 403. */
export async function requireRole(request: Request, ...roles: Role[]): Promise<AuthUser> {
  const user = await requireUser(request);
  if (!hasRole(user, ...roles)) throw new Response("Forbidden", { status: 403 });
  return user;
}

export class EmailTakenError extends Error {}

/**
 * Creates an account directly (tests, seeds, flows that proved the address already). People
 * sign up through accounts.server.ts, which proves the address first and never says whether
 * it is taken.
 */
export async function signUp(input: {
  name: string;
  email?: string | null;
  phone?: string | null;
  password?: string;
  passwordHash?: string;
  locale: string;
  verified?: boolean;
}) {
  const email = input.email ?? null;
  const phone = input.phone ?? null;
  const existing = await prisma.user.findFirst({
    where: { OR: [...(email ? [{ email }] : []), ...(phone ? [{ phone }] : [])] },
    select: { id: true },
  });
  if (existing) throw new EmailTakenError();
  const passwordHash = input.passwordHash ?? (await hashPassword(input.password ?? ""));
  const now = new Date();
  try {
    return await prisma.user.create({
      data: {
        name: input.name,
        email,
        phone,
        passwordHash,
        locale: input.locale,
        role: "learner",
        emailVerifiedAt: input.verified && email ? now : null,
        phoneVerifiedAt: input.verified && phone ? now : null,
      },
    });
  } catch (err) {
    // Two sign-ups racing for one address: the unique index decides.
    if ((err as { code?: string }).code === "P2002") throw new EmailTakenError();
    throw err;
  }
}

export type LoginResult =
  | { ok: true; userId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Checks a password under the log-in limits (limits.server.ts). Every attempt first takes a
 * point from the address, the account and the (account, address) pair, atomically, so
 * parallel guesses cannot outrun the count; past a few failures of the pair each answer is
 * delayed, and past the pair's limit nothing more is evaluated. A right password gives the
 * points back, so a class logging in from one address never fills the address limit.
 */
export async function checkCredentials(
  login: string | { email: string } | { phone: string },
  password: string,
  ip: string,
): Promise<LoginResult> {
  const where = typeof login === "string" ? { email: login } : login;
  const account = "email" in where ? `email:${where.email}` : `phone:${where.phone}`;
  const pair = `${account}|${ip}`;
  const gate = await consumeAll([
    [loginAddressLimiter, ip],
    [loginAccountLimiter, account],
    [loginPairLimiter, pair],
  ]);
  if (!gate.ok) return { ok: false, reason: "throttled", retryAfterSeconds: gate.retryAfterSeconds };
  const delay = loginDelayMs(gate.consumed);
  if (delay) await sleep(delay);
  const user = await prisma.user.findUnique({ where });
  // Hash even when the user is unknown so timing doesn't reveal which e-mails exist.
  const valid = user
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyPassword(DUMMY_HASH, password), false);
  if (!user || !valid || user.disabledAt) {
    loginFailures.inc();
    return { ok: false, reason: "invalid" };
  }
  await Promise.all([loginAddressLimiter.reward(ip), loginAccountLimiter.reward(account), loginPairLimiter.reset(pair)]);
  return { ok: true, userId: user.id };
}
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2tpbGxyZWxheWR1bW15$0t3ZbV1Zx0yF7eqzKzZpvu8JYgJt2r8Y5o0xW3u3nXQ";

/** Starts a session and returns the Set-Cookie header value. */
export async function createSessionCookie(userId: string, request?: Request) {
  const userAgent = request?.headers.get("user-agent")?.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 200) || null;
  const session = await lucia.createSession(userId, { userAgent });
  return lucia.createSessionCookie(session.id).serialize();
}

const TOUCH_EVERY_MS = 5 * 60 * 1000;

/** Records when a session was last used, at most every few minutes. */
async function touchSession(sessionId: string, lastUsedAt: Date | undefined) {
  const now = new Date();
  if (lastUsedAt && now.getTime() - new Date(lastUsedAt).getTime() < TOUCH_EVERY_MS) return;
  await prisma.session.updateMany({
    where: { id: sessionId, lastUsedAt: { lt: new Date(now.getTime() - TOUCH_EVERY_MS) } },
    data: { lastUsedAt: now },
  });
}

export async function listSessions(userId: string) {
  const rows = await prisma.session.findMany({
    where: { userId, expiresAt: { gt: new Date() } },
    select: { id: true, createdAt: true, lastUsedAt: true, expiresAt: true, userAgent: true },
    orderBy: { lastUsedAt: "desc" },
  });
  return rows.map(({ id, ...rest }) => ({ ...rest, id, handle: sessionHandle(id) }));
}

/** Ends the user's sessions except `keepSessionId`; their sockets end with them. */
export async function endOtherSessions(userId: string, keepSessionId: string | null, reason: "sessions_ended" | "password_changed") {
  const others = await prisma.session.findMany({ where: { userId, id: keepSessionId ? { not: keepSessionId } : undefined }, select: { id: true } });
  const ids = others.map((s) => s.id);
  if (ids.length) await prisma.session.deleteMany({ where: { userId, id: { in: ids } } });
  announceAccessChange({ userId, sessionIds: keepSessionId ? ids : undefined, reason });
  return ids.length;
}

/**
 * A session id is the cookie's secret: pages name a session by this handle instead.
 */
export function sessionHandle(sessionId: string) {
  return crypto.createHash("sha256").update(sessionId).digest("base64url").slice(0, 22);
}

/** Ends one of the user's own sessions by its handle (another person's handle does nothing). */
export async function endSession(userId: string, handle: string) {
  const mine = await prisma.session.findMany({ where: { userId }, select: { id: true } });
  const target = mine.find((s) => sessionHandle(s.id) === handle);
  if (!target) return false;
  const { count } = await prisma.session.deleteMany({ where: { userId, id: target.id } });
  if (count) announceAccessChange({ userId, sessionIds: [target.id], reason: "sessions_ended" });
  return count > 0;
}

export async function logout(request: Request) {
  const { session } = await getAuth(request);
  if (session) {
    await lucia.invalidateSession(session.id);
    announceAccessChange({ userId: session.userId, sessionIds: [session.id], reason: "logout" });
  }
  return lucia.createBlankSessionCookie().serialize();
}

export function clientIp(request: Request) {
  // Express puts the peer address here (see server/app.ts); behind a proxy it honours X-Forwarded-For.
  return request.headers.get("x-skillrelay-client-ip") ?? "unknown";
}
