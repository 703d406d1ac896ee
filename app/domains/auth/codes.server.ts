// One-time codes sent by e-mail or SMS: sign-up, proving an address, log-in by code, password
// reset. The browser carries an opaque ticket (the row id) from "send" to "enter the code";
// the 6-digit code itself is stored only as a keyed hash and allows MAX_CODE_ATTEMPTS tries.
//
// A request for an address without an account (log-in, reset) or with one (sign-up) gets a
// ticket all the same, whose code can never match: the answer, the status and the next page
// are identical either way, so nobody learns which addresses are registered.
import crypto from "node:crypto";
import type { Prisma, VerificationCode, VerificationPurpose } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import { queueMail } from "~/domains/notifications/mail.server";
import { publicUrl } from "~/domains/notifications/notify.server";
import { queueSms } from "~/domains/notifications/sms.server";
import { maskEmail, maskPhone } from "~/utils/mask";
import { translator } from "~/domains/notifications/translate.server";
import { derivedKey } from "~/domains/records/identity.server";
import {
  codeCheckAddressLimiter,
  codeSendTargetLimiter,
  consumeAll,
  mailSendAddressLimiter,
  smsSendAddressLimiter,
  type Limit,
} from "./limits.server";

export type Target = { email: string } | { phone: string };
export const CODE_TTL_MS = 15 * 60 * 1000;
export const MAX_CODE_ATTEMPTS = 5;

export function targetValue(target: Target) {
  return "email" in target ? target.email : target.phone;
}

export function channelOf(target: Target): "email" | "sms" {
  return "email" in target ? "email" : "sms";
}

function hashCode(ticket: string, code: string) {
  return crypto.createHmac("sha256", derivedKey("verification-codes")).update(`${ticket}:${code}`).digest("hex");
}

export type Delivery =
  /** Send the code. */
  | "code"
  /** Send nothing (no account there): the ticket exists, its code never matches. */
  | "none"
  /** Sign-up for an address that has an account: tell its owner instead of sending a code. */
  | "already_registered";

export type IssueResult = { ok: true; ticket: string } | { ok: false; retryAfterSeconds: number };

export async function issueCode(opts: {
  purpose: VerificationPurpose;
  target: Target;
  delivery: Delivery;
  locale: string;
  ip: string;
  userId?: string | null;
  payload?: Prisma.InputJsonValue;
}): Promise<IssueResult> {
  const channel = channelOf(opts.target);
  const value = targetValue(opts.target);
  // Counted the same whether or not a message goes out, so limits reveal nothing either.
  const addressLimit: Limit = channel === "sms" ? smsSendAddressLimiter : mailSendAddressLimiter;
  const limited = await consumeAll([
    [addressLimit, opts.ip],
    [codeSendTargetLimiter, `${channel}:${value}`],
  ]);
  if (!limited.ok) return limited;

  const ticket = crypto.randomBytes(16).toString("base64url");
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, "0");
  const codeHash = opts.delivery === "code" ? hashCode(ticket, code) : hashCode(ticket, crypto.randomBytes(16).toString("hex"));
  await prisma.verificationCode.create({
    data: {
      id: ticket,
      purpose: opts.purpose,
      channel,
      target: value,
      userId: opts.userId ?? null,
      codeHash,
      payload: opts.payload,
      expiresAt: new Date(Date.now() + CODE_TTL_MS),
    },
  });
  if (opts.delivery !== "none") send(opts.target, opts.purpose, opts.delivery, code, opts.locale);
  // Spent and expired codes are useless; trim now and then.
  if (Math.random() < 0.05) {
    await prisma.verificationCode.deleteMany({ where: { expiresAt: { lt: new Date(Date.now() - CODE_TTL_MS) } } });
  }
  return { ok: true, ticket };
}

function send(target: Target, purpose: VerificationPurpose, delivery: Delivery, code: string, locale: string) {
  const t = translator(locale, "auth");
  const minutes = CODE_TTL_MS / 60_000;
  const text =
    delivery === "already_registered"
      ? t("messages.alreadyRegistered", { login: `${publicUrl()}/login`, reset: `${publicUrl()}/reset-password` })
      : t(`messages.code.${purpose}`, { code, minutes });
  if ("email" in target) {
    const subject = delivery === "already_registered" ? t("messages.alreadyRegisteredSubject") : t(`messages.subject.${purpose}`, { code });
    queueMail({ to: target.email, subject: `${subject} · SkillRelay`, text: `${text}\n\n— SkillRelay` });
  } else {
    queueSms({ to: target.phone, text: `【SkillRelay】${text}` });
  }
}

export type CheckResult =
  | { ok: true; row: VerificationCode }
  /** Wrong code (or a ticket that never had one). */
  | { ok: false; reason: "invalid" }
  /** Expired, used, or out of attempts: ask for a new code. */
  | { ok: false; reason: "spent" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/** Checks a typed code for a ticket of the given purpose; a right code is used up at once. */
export async function checkCode(ticket: string, code: string, purpose: VerificationPurpose, ip: string): Promise<CheckResult> {
  const limited = await codeCheckAddressLimiter.consume(ip);
  if (!limited.ok) return { ok: false, reason: "throttled", retryAfterSeconds: limited.retryAfterSeconds };
  // Take an attempt atomically: parallel guesses cannot exceed MAX_CODE_ATTEMPTS.
  const now = new Date();
  const took = await prisma.verificationCode.updateMany({
    where: { id: ticket, purpose, consumedAt: null, expiresAt: { gt: now }, attempts: { lt: MAX_CODE_ATTEMPTS } },
    data: { attempts: { increment: 1 } },
  });
  if (took.count === 0) return { ok: false, reason: "spent" };
  const row = await prisma.verificationCode.findUnique({ where: { id: ticket } });
  if (!row) return { ok: false, reason: "spent" };
  const expected = Buffer.from(row.codeHash, "hex");
  const actual = Buffer.from(hashCode(ticket, code), "hex");
  if (expected.length !== actual.length || !crypto.timingSafeEqual(expected, actual)) return { ok: false, reason: "invalid" };
  const used = await prisma.verificationCode.updateMany({ where: { id: ticket, consumedAt: null }, data: { consumedAt: now } });
  if (used.count === 0) return { ok: false, reason: "spent" };
  return { ok: true, row };
}

/** What a code page shows about its ticket: where the code went (masked), if it is still open. */
export async function describeTicket(ticket: string, purpose: VerificationPurpose) {
  const row = await prisma.verificationCode.findUnique({
    where: { id: ticket },
    select: { purpose: true, channel: true, target: true, consumedAt: true, expiresAt: true, userId: true },
  });
  if (!row || row.purpose !== purpose) return null;
  return {
    channel: row.channel as "email" | "sms",
    masked: row.channel === "sms" ? maskPhone(row.target) : maskEmail(row.target),
    open: !row.consumedAt && row.expiresAt > new Date(),
    userId: row.userId,
  };
}

