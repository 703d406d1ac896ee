import { describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { lucia } from "~/domains/auth/lucia.server";
import {
  EmailTakenError,
  checkCredentials,
  createSessionCookie,
  logout,
  requireRole,
  requireUser,
  signUp,
  validateCookieHeader,
} from "~/domains/auth/session.server";
import { loginPairLimiter } from "~/domains/auth/limits.server";
import { fieldErrors, loginSchema, safeRedirect, signupSchema } from "~/domains/auth/validation";

const cookieOf = (setCookie: string) => setCookie.split(";")[0];
const requestWith = (cookie?: string) =>
  new Request("http://localhost/dashboard?tab=1", { headers: cookie ? { Cookie: cookie } : {} });

describe("sign-up validation", () => {
  it("accepts a valid learner and normalises the e-mail", () => {
    const parsed = signupSchema.parse({ name: " Li Ming ", email: " Li@Example.COM ", password: "correct horse" });
    expect(parsed).toEqual({ name: "Li Ming", email: "li@example.com", password: "correct horse" });
  });

  it("reports each bad field with a translation key", () => {
    const result = signupSchema.safeParse({ name: "", email: "not-an-email", password: "short" });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!)).toEqual({
      name: "errors.nameRequired",
      email: "errors.emailInvalid",
      password: "errors.passwordTooShort",
    });
  });

  it("rejects missing fields and over-long input", () => {
    expect(signupSchema.safeParse({}).success).toBe(false);
    expect(signupSchema.safeParse({ name: "x".repeat(81), email: "a@b.cn", password: "12345678" }).success).toBe(false);
    expect(loginSchema.safeParse({ login: "a@b.cn", password: "" }).success).toBe(false);
    expect(loginSchema.parse({ login: " +86 138-0013-8000 ", password: "x" }).login).toEqual({ phone: "13800138000" });
    expect(loginSchema.parse({ login: "A@B.cn", password: "x" }).login).toEqual({ email: "a@b.cn" });
    expect(loginSchema.safeParse({ login: "12345", password: "x" }).success).toBe(false);
  });

  it("only redirects to same-site paths after log-in", () => {
    expect(safeRedirect("/live/abc")).toBe("/live/abc");
    expect(safeRedirect("//evil.example")).toBe("/dashboard");
    expect(safeRedirect("https://evil.example")).toBe("/dashboard");
    expect(safeRedirect("/\\evil.example")).toBe("/dashboard");
    expect(safeRedirect(null)).toBe("/dashboard");
  });
});

describe("accounts and sessions on the real database", () => {
  it("signs up a learner with an argon2 hash and refuses a second account for the e-mail", async () => {
    const user = await signUp({ name: "A", email: "a@skillrelay.test", password: "password-1", locale: "en" });
    expect(user.role).toBe("learner");
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    await expect(signUp({ name: "B", email: "a@skillrelay.test", password: "password-2", locale: "en" })).rejects.toBeInstanceOf(
      EmailTakenError,
    );
  });

  it("accepts the right password and refuses a wrong one or an unknown e-mail", async () => {
    await signUp({ name: "C", email: "c@skillrelay.test", password: "password-1", locale: "en" });
    expect(await checkCredentials("c@skillrelay.test", "password-1", "10.0.0.1")).toMatchObject({ ok: true });
    expect(await checkCredentials("c@skillrelay.test", "password-2", "10.0.0.1")).toEqual({ ok: false, reason: "invalid" });
    expect(await checkCredentials("nobody@skillrelay.test", "password-1", "10.0.0.1")).toEqual({ ok: false, reason: "invalid" });
  });

  it("logs in by phone number for learners who have no e-mail", async () => {
    const user = await signUp({ name: "P", email: "p@skillrelay.test", password: "password-1", locale: "zh-CN" });
    await prisma.user.update({ where: { id: user.id }, data: { email: null, phone: "13800138000" } });
    expect(await checkCredentials({ phone: "13800138000" }, "password-1", "10.0.0.3")).toEqual({ ok: true, userId: user.id });
    expect(await checkCredentials({ phone: "13800138001" }, "password-1", "10.0.0.3")).toEqual({ ok: false, reason: "invalid" });
  });

  it("throttles an account at one address after repeated failures, even with the right password; not elsewhere", async () => {
    await signUp({ name: "D", email: "d@skillrelay.test", password: "password-1", locale: "en" });
    for (let i = 0; i < loginPairLimiter.points; i++) {
      expect(await checkCredentials("d@skillrelay.test", "wrong-password", "10.0.0.2")).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await checkCredentials("d@skillrelay.test", "password-1", "10.0.0.2")).toMatchObject({ ok: false, reason: "throttled" });
    expect(await checkCredentials("d@skillrelay.test", "password-1", "10.0.0.9")).toMatchObject({ ok: true });
  }, 30_000);

  it("validates a session cookie, and a logged-out or expired session no longer works", async () => {
    const user = await signUp({ name: "E", email: "e@skillrelay.test", password: "password-1", locale: "en" });
    const cookie = cookieOf(await createSessionCookie(user.id));
    expect(cookie).toMatch(/^auth_session=/);

    const auth = await validateCookieHeader(cookie);
    expect(auth.user).toMatchObject({ id: user.id, role: "learner", email: "e@skillrelay.test" });
    expect(auth.setCookie).toBeNull();

    // Expired: the session row is past its expiry.
    await prisma.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await validateCookieHeader(cookie);
    expect(expired.user).toBeNull();
    expect(expired.setCookie).toMatch(/^auth_session=;/);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);

    // Logged out: invalidated server-side.
    const cookie2 = cookieOf(await createSessionCookie(user.id));
    const blank = await logout(requestWith(cookie2));
    expect(blank).toMatch(/Max-Age=0/);
    expect((await validateCookieHeader(cookie2)).user).toBeNull();
  });

  it("refreshes a session in its second half and sends a new cookie", async () => {
    const user = await signUp({ name: "F", email: "f@skillrelay.test", password: "password-1", locale: "en" });
    const cookie = cookieOf(await createSessionCookie(user.id));
    await prisma.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() + 5 * 86400_000) } });
    const auth = await validateCookieHeader(cookie);
    expect(auth.user?.id).toBe(user.id);
    expect(auth.setCookie).toMatch(/HttpOnly/);
    const row = await prisma.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 25 * 86400_000);
  });

  it("records when a session was last used, at most every few minutes", async () => {
    const user = await signUp({ name: "G", email: "g@skillrelay.test", password: "password-1", locale: "en" });
    const cookie = cookieOf(await createSessionCookie(user.id, new Request("http://localhost/", { headers: { "User-Agent": "TestAgent/1 (x)" } })));
    const row = await prisma.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.userAgent).toBe("TestAgent/1 (x)");
    await validateCookieHeader(cookie);
    expect((await prisma.session.findFirstOrThrow({ where: { userId: user.id } })).lastUsedAt).toEqual(row.lastUsedAt);
    const old = new Date(Date.now() - 3600_000);
    await prisma.session.updateMany({ where: { userId: user.id }, data: { lastUsedAt: old } });
    await validateCookieHeader(cookie);
    expect((await prisma.session.findFirstOrThrow({ where: { userId: user.id } })).lastUsedAt.getTime()).toBeGreaterThan(Date.now() - 10_000);
  });

  it("a forged session id is refused", async () => {
    const auth = await validateCookieHeader(`auth_session=${"x".repeat(40)}`);
    expect(auth.user).toBeNull();
    expect(lucia.readSessionCookie("auth_session=abc")).toBe("abc");
  });
});

describe("role checks", () => {
  async function requestAs(role: "learner" | "expert" | "school_admin" | "admin") {
    const user = await prisma.user.create({
      data: { email: `${role}-${Math.random()}@skillrelay.test`, name: role, role, passwordHash: "x" },
    });
    return requestWith(cookieOf(await createSessionCookie(user.id)));
  }

  it("sends anonymous visitors to log in and back", async () => {
    const thrown = await requireUser(requestWith()).catch((e) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect(thrown.status).toBe(302);
    expect(thrown.headers.get("Location")).toBe("/login?redirectTo=%2Fdashboard%3Ftab%3D1");
  });

  it("lets a role through only where it is allowed; admins everywhere", async () => {
    const learner = await requestAs("learner");
    const expert = await requestAs("expert");
    const admin = await requestAs("admin");
    expect((await requireRole(expert, "expert")).role).toBe("expert");
    expect((await requireRole(admin, "expert")).role).toBe("admin");
    const refused = await requireRole(learner, "expert", "school_admin").catch((e) => e);
    expect(refused).toBeInstanceOf(Response);
    expect(refused.status).toBe(403);
    const schoolAdmin = await requestAs("school_admin");
    expect((await requireRole(schoolAdmin, "school_admin")).role).toBe("school_admin");
    expect(await requireRole(schoolAdmin, "expert").catch((e) => e.status)).toBe(403);
  });
});
