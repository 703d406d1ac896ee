import { redirect } from "@remix-run/node";
import type { Session } from "lucia";
import { prisma } from "~/domains/db.server";
import { announceAccessChange } from "./events.server";
import { lucia } from "./lucia.server";
import { hashPassword, verifyPassword } from "./password.server";
import { clearLoginFailures, isLoginThrottled, recordLoginFailure } from "./rate-limit.server";
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
  if (!session || !user) {
    return { user: null, session: null, setCookie: lucia.createBlankSessionCookie().serialize() };
  }
  noteRequestUser(user.id);
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

export async function signUp(input: { name: string; email: string; password: string; locale: string }) {
  const existing = await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) throw new EmailTakenError();
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma.user.create({
      data: { name: input.name, email: input.email, passwordHash, locale: input.locale, role: "learner" },
    });
  } catch (err) {
    // Two sign-ups racing for one e-mail: the unique index decides.
    if ((err as { code?: string }).code === "P2002") throw new EmailTakenError();
    throw err;
  }
}

export type LoginResult = { ok: true; userId: string } | { ok: false; reason: "invalid" | "throttled" };

export async function checkCredentials(
  login: string | { email: string } | { phone: string },
  password: string,
  ip: string,
): Promise<LoginResult> {
  const where = typeof login === "string" ? { email: login } : login;
  const email = "email" in where ? where.email : `phone:${where.phone}`; // the throttling key
  if (await isLoginThrottled(email, ip)) return { ok: false, reason: "throttled" };
  const user = await prisma.user.findUnique({ where });
  // Hash even when the user is unknown so timing doesn't reveal which e-mails exist.
  const valid = user
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyPassword(DUMMY_HASH, password), false);
  if (!user || !valid) {
    loginFailures.inc();
    await recordLoginFailure(email, ip);
    return { ok: false, reason: "invalid" };
  }
  await clearLoginFailures(email);
  return { ok: true, userId: user.id };
}
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2tpbGxyZWxheWR1bW15$0t3ZbV1Zx0yF7eqzKzZpvu8JYgJt2r8Y5o0xW3u3nXQ";

/** Starts a session and returns the Set-Cookie header value. */
export async function createSessionCookie(userId: string) {
  const session = await lucia.createSession(userId, {});
  return lucia.createSessionCookie(session.id).serialize();
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
