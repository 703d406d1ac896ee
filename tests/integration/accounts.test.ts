// Accounts against the real server (Express + Remix build) and database: log-in limits under
// parallel guessing, a school lab behind one address, sign-up by phone with an SMS code read
// from the outbox folder, sign-up that does not tell which addresses exist, password reset,
// change password, the sessions page, and redirects after log-in.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { hashPassword } from "~/domains/auth/password.server";
import { onAccessChange, type AccessChange } from "~/domains/auth/events.server";
import { validateCookieHeader } from "~/domains/auth/session.server";
import { LOGIN_FREE_FAILURES, loginPairLimiter } from "~/domains/auth/limits.server";
import { startServer, type RunningServer } from "../../server/app";

let server: RunningServer;
const mailDir = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-mail-"));
const smsDir = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-sms-"));
let ipCounter = 0;
/** A fresh client address per test (the server trusts X-Forwarded-For from loopback here). */
const newIp = () => `198.51.100.${++ipCounter}`;

beforeAll(async () => {
  process.env.TRUST_PROXY = "loopback";
  process.env.MAIL_OUTBOX_DIR = mailDir;
  process.env.SMS_OUTBOX_DIR = smsDir;
  delete process.env.SMTP_URL;
  delete process.env.SMS_TRANSPORT;
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
}, 120_000);

afterAll(async () => {
  await server?.close();
  delete process.env.TRUST_PROXY;
  fs.rmSync(mailDir, { recursive: true, force: true });
  fs.rmSync(smsDir, { recursive: true, force: true });
});

async function post(pathname: string, fields: Record<string, string>, opts: { ip: string; cookie?: string }) {
  return fetch(`${server.url}${pathname}`, {
    method: "POST",
    headers: {
      Origin: server.url,
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Forwarded-For": opts.ip,
      ...(opts.cookie ? { Cookie: opts.cookie } : {}),
    },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

const cookieOf = (res: Response) => res.headers.get("set-cookie")?.split(";")[0] ?? "";
const ticketOf = (res: Response) => new URL(res.headers.get("location")!, server.url).searchParams.get("ticket")!;

async function makeAccount(login: { email?: string; phone?: string }, password = "a-good-password-1") {
  return prisma.user.create({
    data: { name: "Owner", email: login.email ?? null, phone: login.phone ?? null, passwordHash: await hashPassword(password), role: "learner" },
  });
}

/** Every outbox file (e-mail or SMS) addressed to `to`, oldest first. */
async function outbox(dir: string, to: string) {
  const { mailIdle } = await import("~/domains/notifications/mail.server");
  const { smsIdle } = await import("~/domains/notifications/sms.server");
  // The server's module copies queue the messages; wait until the files appear.
  for (let i = 0; i < 50; i++) {
    await Promise.all([mailIdle(), smsIdle()]);
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
    const texts = files.map((f) => fs.readFileSync(path.join(dir, f), "utf8")).filter((t) => t.includes(to));
    if (texts.length) return texts;
    await new Promise((r) => setTimeout(r, 50));
  }
  return [];
}

/** The message without its header lines (base64 bodies decoded). */
function bodyOf(text: string) {
  const [head, ...rest] = text.split(/\r?\n\r?\n/);
  const body = rest.join("\n");
  return /Content-Transfer-Encoding: base64/i.test(head) ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8") : body;
}

function codeIn(text: string) {
  const m = bodyOf(text).match(/(?<![0-9])([0-9]{6})(?![0-9])/);
  if (!m) throw new Error(`no code in ${text}`);
  return m[1];
}

describe("log-in limits (rate-limiter-flexible, Postgres store)", () => {
  it("40 parallel guesses for one account from one address: at most the pair limit is evaluated, and the right password is refused after", async () => {
    const email = "victim@skillrelay.test";
    await makeAccount({ email }, "right-password-1");
    const ip = newIp();
    const started = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () => post("/login", { login: email, password: "wrong-password" }, { ip }).then((r) => r.status)),
    );
    const evaluated = statuses.filter((s) => s === 401).length;
    expect(evaluated).toBeLessThanOrEqual(loginPairLimiter.points);
    expect(evaluated).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 429).length).toBe(40 - evaluated);
    // The right password, now that the pair is over its limit: not evaluated, not accepted.
    const right = await post("/login", { login: email, password: "right-password-1" }, { ip });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(right.headers.get("set-cookie") ?? "").not.toMatch(/auth_session=[^;]/);
    console.log(`[measured] 40 parallel guesses: ${evaluated} evaluated, ${Date.now() - started} ms`);
  }, 60_000);

  it("the owner logs in from another address while an attacker is being throttled", async () => {
    const email = "owner@skillrelay.test";
    await makeAccount({ email }, "right-password-1");
    const attacker = newIp();
    const statuses = await Promise.all(
      Array.from({ length: 15 }, () => post("/login", { login: email, password: "guess-guess" }, { ip: attacker }).then((r) => r.status)),
    );
    expect(statuses).toContain(429);
    const owner = await post("/login", { login: email, password: "right-password-1" }, { ip: newIp() });
    expect(owner.status).toBe(302);
    expect(cookieOf(owner)).toMatch(/^auth_session=.+/);
    // And the attacker is still refused, even with the right password.
    expect((await post("/login", { login: email, password: "right-password-1" }, { ip: attacker })).status).toBe(429);
  }, 60_000);

  it("slows answers down after a few failures of the pair (no CAPTCHA, no lock-out of the owner)", async () => {
    const email = "slow@skillrelay.test";
    await makeAccount({ email });
    const ip = newIp();
    for (let i = 0; i < LOGIN_FREE_FAILURES; i++) expect((await post("/login", { login: email, password: "nope-nope" }, { ip })).status).toBe(401);
    const t0 = Date.now();
    expect((await post("/login", { login: email, password: "nope-nope" }, { ip })).status).toBe(401);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
  });

  it("40 different learners log in from one address (a school lab behind one NAT), some after a typo", async () => {
    const passwordHash = await hashPassword("class-password-1");
    const users = Array.from({ length: 40 }, (_, i) => ({ name: `Learner ${i}`, email: `lab-${i}@skillrelay.test`, passwordHash, role: "learner" as const }));
    await prisma.user.createMany({ data: users });
    const ip = newIp();
    // Most of the class mistypes once first (the old limit locked the address after 30), then everyone logs in.
    for (let i = 0; i < 35; i++) expect((await post("/login", { login: users[i].email, password: "typo-typo" }, { ip })).status).toBe(401);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 8) {
      statuses.push(...(await Promise.all(users.slice(i, i + 8).map((u) => post("/login", { login: u.email, password: "class-password-1" }, { ip }).then((r) => r.status)))));
    }
    expect(statuses).toEqual(Array(40).fill(302));
  }, 60_000);
});

describe("redirect after log-in", () => {
  it("refuses the tab trick and other ways off the site", async () => {
    await makeAccount({ email: "redir@skillrelay.test" });
    for (const redirectTo of ["/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example"]) {
      const res = await post("/login", { login: "redir@skillrelay.test", password: "a-good-password-1", redirectTo }, { ip: newIp() });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/dashboard");
    }
    const ok = await post("/login", { login: "redir@skillrelay.test", password: "a-good-password-1", redirectTo: "/courses?q=a" }, { ip: newIp() });
    expect(ok.headers.get("location")).toBe("/courses?q=a");
  });

  it("the language switch and the log-in link of a request URL stay on the site", async () => {
    const lang = await post("/set-language", { locale: "en", redirectTo: "/\t/evil.example" }, { ip: newIp() });
    expect(lang.status).toBe(302);
    expect(lang.headers.get("location")).toBe("/");
    // The raw query form from the report, through the log-in page's hidden field.
    const page = await (await fetch(`${server.url}/login?redirectTo=%2F%09%2Fevil.example`)).text();
    expect(page).toContain('name="redirectTo"');
    await makeAccount({ email: "redir2@skillrelay.test" });
    const res = await post("/login", { login: "redir2@skillrelay.test", password: "a-good-password-1", redirectTo: decodeURIComponent("%2F%09%2Fevil.example") }, { ip: newIp() });
    expect(res.headers.get("location")).toBe("/dashboard");
  });
});

describe("sign-up", () => {
  it("by phone with an SMS code from the outbox: the account exists only after the code, its number verified", async () => {
    const ip = newIp();
    const phone = "13912345678";
    const start = await post("/signup", { intent: "start", name: "Wang Fang", login: "+86 139-1234-5678", password: "rural-learner-1" }, { ip });
    expect(start.status).toBe(302);
    const ticket = ticketOf(start);
    expect(await prisma.user.count({ where: { phone } })).toBe(0);
    const [sms] = await outbox(smsDir, phone);
    expect(sms).toMatch(/^To: 13912345678/);
    const code = codeIn(sms);

    // The code page shows the number masked.
    const page = await (await fetch(`${server.url}/signup?ticket=${ticket}`, { headers: { "Accept-Language": "en" } })).text();
    expect(page).toContain("139****5678");

    const wrong = await post("/signup", { intent: "code", ticket, code: code === "000000" ? "111111" : "000000" }, { ip });
    expect(wrong.status).toBe(400);
    const done = await post("/signup", { intent: "code", ticket, code }, { ip });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/dashboard");
    const user = await prisma.user.findUniqueOrThrow({ where: { phone } });
    expect(user.phoneVerifiedAt).not.toBeNull();
    expect(user.email).toBeNull();
    expect((await validateCookieHeader(cookieOf(done))).user?.id).toBe(user.id);
    // The code is used up.
    expect((await post("/signup", { intent: "code", ticket, code }, { ip })).status).toBe(400);
  });

  it("comes back to the page that sent the visitor (an organisation's applicant to /schools/apply), never off the site", async () => {
    const ip = newIp();
    const phone = "13912340001";
    const start = await post("/signup?redirectTo=%2Fschools%2Fapply", { intent: "start", name: "Li Applicant", login: phone, password: "school-applicant-1" }, { ip });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get("location")!, server.url);
    expect(location.searchParams.get("redirectTo")).toBe("/schools/apply");
    // The code page's form posts to that same URL, so the parameter rides along.
    const page = await (await fetch(`${server.url}${location.pathname}${location.search}`, { headers: { "Accept-Language": "en" } })).text();
    expect(page).toContain(`action="/signup?ticket=${ticketOf(start)}&amp;redirectTo=%2Fschools%2Fapply"`);
    const code = codeIn((await outbox(smsDir, phone))[0]);
    const done = await post(`/signup${location.search}`, { intent: "code", ticket: ticketOf(start), code }, { ip });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/schools/apply");
    const form = await (await fetch(`${server.url}/schools/apply`, { headers: { Cookie: cookieOf(done), "Accept-Language": "en" } })).text();
    expect(form).toContain('name="licenceNumber"');

    const evil = await post("/signup?redirectTo=%2F%2Fevil.example", { intent: "start", name: "Zhao Evil", login: "13912340002", password: "school-applicant-2" }, { ip: newIp() });
    expect(new URL(evil.headers.get("location")!, server.url).searchParams.get("redirectTo")).toBeNull();
    const evilCode = codeIn((await outbox(smsDir, "13912340002"))[0]);
    const evilDone = await post("/signup?redirectTo=https%3A%2F%2Fevil.example", { intent: "code", ticket: ticketOf(evil), code: evilCode }, { ip: newIp() });
    expect(evilDone.headers.get("location")).toBe("/dashboard");
  });

  it("answers the same for a registered address, and tells its owner instead", async () => {
    const email = "taken@skillrelay.test";
    await makeAccount({ email });
    const fresh = "fresh@skillrelay.test";
    const a = await post("/signup", { intent: "start", name: "Squatter", login: email, password: "squatter-pass-1" }, { ip: newIp() });
    const b = await post("/signup", { intent: "start", name: "Newcomer", login: fresh, password: "newcomer-pass-1" }, { ip: newIp() });
    expect(a.status).toBe(b.status);
    expect(a.headers.get("location")!.replace(/ticket=[^&]+/, "")).toBe(b.headers.get("location")!.replace(/ticket=[^&]+/, ""));
    expect(a.headers.get("set-cookie")).toBeNull();
    expect(b.headers.get("set-cookie")).toBeNull();
    const pageA = await (await fetch(`${server.url}${a.headers.get("location")}`)).text();
    const pageB = await (await fetch(`${server.url}${b.headers.get("location")}`)).text();
    // Per-response values (the CSP nonce, the ticket) differ anyway; the rest must not.
    const strip = (html: string) => html.replace(/nonce="[^"]*"/g, "N").replace(/[A-Za-z0-9_-]{22}/g, "T").replace(/[a-z]\*\*\*@skillrelay\.test/g, "M");
    expect(strip(pageA).length).toBe(strip(pageB).length);

    const [ownerMail] = await outbox(mailDir, `To: ${email}`);
    expect(ownerMail).toMatch(/reset-password/);
    expect(bodyOf(ownerMail)).not.toMatch(/(?<![0-9])[0-9]{6}(?![0-9])/);
    // No code can complete the squatter's ticket.
    const squat = await post("/signup", { intent: "code", ticket: ticketOf(a), code: "123456" }, { ip: newIp() });
    expect(squat.status).toBe(400);
    expect(await prisma.user.count({ where: { email } })).toBe(1);
  });

  it("refuses the commonest passwords besides short ones", async () => {
    for (const password of ["12345678", "88888888", "5201314a", "woaini1314", "qwertyui", "Password", "zzzzzzzzzz"]) {
      const res = await post("/signup", { intent: "start", name: "X", login: "common@skillrelay.test", password }, { ip: newIp() });
      expect(res.status, password).toBe(400);
    }
  });

  it("is rate-limited per address and per target", async () => {
    const ip = newIp();
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await post("/signup", { intent: "start", name: "Spam", login: "spam-target@skillrelay.test", password: "spam-password-1" }, { ip: newIp() })).status);
    }
    expect(statuses).toEqual([302, 302, 302, 302, 302, 429]);
    let last = 0;
    for (let i = 0; i < 61; i++) {
      last = (await post("/signup", { intent: "start", name: "Spam", login: `s${i}@skillrelay.test`, password: "spam-password-1" }, { ip })).status;
    }
    expect(last).toBe(429);
  }, 60_000);
});

describe("codes", () => {
  it("a ticket allows 5 tries in all, even in parallel, and then not even the right code", async () => {
    const phone = "13700000001";
    await makeAccount({ phone });
    const ip = newIp();
    const start = await post("/login/code", { intent: "start", login: phone }, { ip });
    const ticket = ticketOf(start);
    const code = codeIn((await outbox(smsDir, phone))[0]);
    const wrong = code === "000000" ? "999999" : "000000";
    await Promise.all(Array.from({ length: 20 }, () => post("/login/code", { intent: "code", ticket, code: wrong }, { ip })));
    const row = await prisma.verificationCode.findUniqueOrThrow({ where: { id: ticket } });
    expect(row.attempts).toBe(5);
    expect((await post("/login/code", { intent: "code", ticket, code }, { ip })).status).toBe(400);
  });

  it("log-in by SMS code; an unknown number gets the same answer and no message", async () => {
    const phone = "13700000002";
    const user = await makeAccount({ phone });
    const ip = newIp();
    const known = await post("/login/code", { intent: "start", login: phone }, { ip });
    const unknown = await post("/login/code", { intent: "start", login: "13700000003" }, { ip });
    expect(known.status).toBe(302);
    expect(unknown.status).toBe(302);
    expect(await outbox(smsDir, "13700000003")).toEqual([]);
    const code = codeIn((await outbox(smsDir, phone))[0]);
    const done = await post("/login/code", { intent: "code", ticket: ticketOf(known), code }, { ip });
    expect(done.status).toBe(302);
    expect((await validateCookieHeader(cookieOf(done))).user?.id).toBe(user.id);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).phoneVerifiedAt).not.toBeNull();
  });
});

describe("password reset, change password, sessions", () => {
  it("reset by e-mail code sets the new password and ends every old session (their sockets are told)", async () => {
    const email = "forgot@skillrelay.test";
    const user = await makeAccount({ email }, "old-password-1");
    const oldSession = cookieOf(await post("/login", { login: email, password: "old-password-1" }, { ip: newIp() }));
    const changes: AccessChange[] = [];
    const stop = onAccessChange((c) => changes.push(c));
    const ip = newIp();
    const start = await post("/reset-password", { intent: "start", login: email }, { ip });
    const code = codeIn((await outbox(mailDir, `To: ${email}`)).at(-1)!);
    const done = await post("/reset-password", { intent: "code", ticket: ticketOf(start), code, password: "new-password-1" }, { ip });
    stop();
    expect(done.status).toBe(302);
    expect((await validateCookieHeader(oldSession)).user).toBeNull();
    expect(changes).toContainEqual({ userId: user.id, reason: "password_changed" });
    expect((await post("/login", { login: email, password: "new-password-1" }, { ip: newIp() })).status).toBe(302);
    expect((await post("/login", { login: email, password: "old-password-1" }, { ip: newIp() })).status).toBe(401);
  });

  it("reset is rate-limited per address", async () => {
    const ip = newIp();
    let last = 0;
    for (let i = 0; i < 31; i++) last = (await post("/reset-password", { intent: "start", login: `r${i}@skillrelay.test` }, { ip })).status;
    expect(last).toBe(429);
  });

  it("change password needs the current one and ends the other sessions only", async () => {
    const email = "changer@skillrelay.test";
    await makeAccount({ email }, "first-password-1");
    const a = cookieOf(await post("/login", { login: email, password: "first-password-1" }, { ip: newIp() }));
    const b = cookieOf(await post("/login", { login: email, password: "first-password-1" }, { ip: newIp() }));
    const ip = newIp();
    const refused = await post("/account", { intent: "change-password", current: "not-it-at-all", password: "second-password-1" }, { ip, cookie: a });
    expect(refused.status).toBe(400);
    const common = await post("/account", { intent: "change-password", current: "first-password-1", password: "12345678" }, { ip, cookie: a });
    expect(common.status).toBe(400);
    const ok = await post("/account", { intent: "change-password", current: "first-password-1", password: "second-password-1" }, { ip, cookie: a });
    expect(ok.status).toBe(200);
    expect((await validateCookieHeader(a)).user).not.toBeNull();
    expect((await validateCookieHeader(b)).user).toBeNull();
  });

  it("the sessions page lists mine (this one marked), ends another of mine, and ignores someone else's", async () => {
    const email = "sessions@skillrelay.test";
    await makeAccount({ email });
    const mine1 = cookieOf(await post("/login", { login: email, password: "a-good-password-1" }, { ip: newIp() }));
    const mine2 = cookieOf(await post("/login", { login: email, password: "a-good-password-1" }, { ip: newIp() }));
    await makeAccount({ email: "other@skillrelay.test" });
    const theirs = cookieOf(await post("/login", { login: "other@skillrelay.test", password: "a-good-password-1" }, { ip: newIp() }));

    const html = await (await fetch(`${server.url}/account`, { headers: { Cookie: mine1 } })).text();
    expect(html.match(/data-testid="session-row"/g)).toHaveLength(2);
    expect(html.match(/data-current="true"/g)).toHaveLength(1);
    // Session ids are cookie secrets: the page names sessions by a handle only.
    expect(html).not.toContain(mine2.split("=")[1]);

    const { sessionHandle } = await import("~/domains/auth/session.server");
    const theirHandle = sessionHandle(theirs.split("=")[1]);
    const foreign = await post("/account", { intent: "end-session", session: theirHandle }, { ip: newIp(), cookie: mine1 });
    expect(foreign.status).toBe(404);
    expect((await validateCookieHeader(theirs)).user).not.toBeNull();

    const mine2Handle = sessionHandle(mine2.split("=")[1]);
    expect((await post("/account", { intent: "end-session", session: mine2Handle }, { ip: newIp(), cookie: mine1 })).status).toBe(200);
    expect((await validateCookieHeader(mine2)).user).toBeNull();
    expect((await validateCookieHeader(mine1)).user).not.toBeNull();
    // Anonymous: sent to log in.
    expect((await post("/account", { intent: "end-others" }, { ip: newIp() })).status).toBe(302);
  });
});

describe("proving an address later (accounts made before verification, or by a school)", () => {
  it("the dashboard asks; a code from the account page verifies the e-mail; another person cannot use that ticket", async () => {
    const email = "later@skillrelay.test";
    await makeAccount({ email });
    const ip = newIp();
    const cookie = cookieOf(await post("/login", { login: email, password: "a-good-password-1" }, { ip }));
    const dashboard = await (await fetch(`${server.url}/dashboard`, { headers: { Cookie: cookie } })).text();
    expect(dashboard).toContain('data-testid="verify-banner"');

    const sent = await post("/account", { intent: "send-code", channel: "email" }, { ip, cookie });
    expect(sent.status).toBe(302);
    const ticket = ticketOf(sent);
    const code = codeIn((await outbox(mailDir, `To: ${email}`)).at(-1)!);

    await makeAccount({ email: "intruder@skillrelay.test" });
    const intruder = cookieOf(await post("/login", { login: "intruder@skillrelay.test", password: "a-good-password-1" }, { ip: newIp() }));
    expect((await post("/account", { intent: "code", ticket, code }, { ip: newIp(), cookie: intruder })).status).toBe(400);
    expect((await prisma.user.findUniqueOrThrow({ where: { email: "intruder@skillrelay.test" } })).emailVerifiedAt).toBeNull();

    const done = await post("/account", { intent: "code", ticket, code }, { ip, cookie });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/account?verified=1");
    expect((await prisma.user.findUniqueOrThrow({ where: { email } })).emailVerifiedAt).not.toBeNull();
    const after = await (await fetch(`${server.url}/dashboard`, { headers: { Cookie: cookie } })).text();
    expect(after).not.toContain('data-testid="verify-banner"');
    // Nothing left to verify.
    expect((await post("/account", { intent: "send-code", channel: "email" }, { ip, cookie })).status).toBe(400);
  });

  it("no request, however malformed, gives a 500", async () => {
    const ip = newIp();
    await makeAccount({ email: "fuzz@skillrelay.test" });
    const cookie = cookieOf(await post("/login", { login: "fuzz@skillrelay.test", password: "a-good-password-1" }, { ip }));
    const bad = [
      ["/signup", { intent: "code", ticket: "x".repeat(5000), code: "1" }],
      ["/signup", { intent: "code", ticket: "AAAAAAAAAAAAAAAAAAAAAA", code: "\u0000" }],
      ["/signup", { intent: "start", name: "a\u0000b", login: "x".repeat(10_000), password: "p".repeat(1000) }],
      ["/login/code", { intent: "start", login: "@@@" }],
      ["/login/code", { intent: "code", ticket: "AAAAAAAAAAAAAAAAAAAAAA", code: "123456" }],
      ["/reset-password", { intent: "code", ticket: "AAAAAAAAAAAAAAAAAAAAAA", code: "123456", password: "" }],
      ["/login", { login: "a@b.cn", password: "x".repeat(10_000) }],
      ["/account", { intent: "end-session", session: "\u0000".repeat(50) }],
      ["/account", { intent: "nonsense" }],
    ] as const;
    for (const [pathname, fields] of bad) {
      const res = await post(pathname, { ...fields }, { ip, cookie: pathname === "/account" ? cookie : undefined });
      expect(res.status, `${pathname} ${JSON.stringify(fields).slice(0, 80)}`).toBeLessThan(500);
    }
    for (const url of ["/signup?ticket=nope", "/login/code?ticket=" + "A".repeat(22), "/reset-password?ticket=%00"]) {
      const res = await fetch(`${server.url}${url}`, { redirect: "manual" });
      expect(res.status, url).toBeLessThan(500);
    }
  });
});

describe("SMS transport", () => {
  it("a provider module named by SMS_TRANSPORT gets the message instead of the outbox", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-provider-"));
    const sent = path.join(dir, "sent.json");
    const provider = path.join(dir, "provider.mjs");
    fs.writeFileSync(
      provider,
      `import fs from "node:fs";\nexport default { async send(m) { fs.appendFileSync(${JSON.stringify(sent)}, JSON.stringify(m) + "\\n"); return { id: "p-1" }; } };\n`,
    );
    process.env.SMS_TRANSPORT = provider;
    try {
      const phone = "13600000009";
      const res = await post("/signup", { intent: "start", name: "Provider", login: phone, password: "provider-pass-1" }, { ip: newIp() });
      expect(res.status).toBe(302);
      for (let i = 0; i < 50 && !fs.existsSync(sent); i++) await new Promise((r) => setTimeout(r, 50));
      const message = JSON.parse(fs.readFileSync(sent, "utf8").trim());
      expect(message.to).toBe(phone);
      expect(message.text).toMatch(/[0-9]{6}/);
      expect(await outbox(smsDir, phone)).toEqual([]);
    } finally {
      delete process.env.SMS_TRANSPORT;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

