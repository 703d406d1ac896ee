// Outgoing e-mail. With SMTP_URL set (smtp://user:pass@host:587, smtps://…), mail goes to
// that server through nodemailer; without it every message is written as an .eml file to
// the outbox folder (MAIL_OUTBOX_DIR, default .data/outbox) so nothing is dropped silently
// and a developer can open what would have been sent.
import fs from "node:fs/promises";
import path from "node:path";
import crypto from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";

export interface MailAttachment {
  filename: string;
  content: string;
  contentType: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
}

export function outboxDir() {
  return path.resolve(process.env.MAIL_OUTBOX_DIR ?? path.join(process.cwd(), ".data/outbox"));
}

export function mailFrom() {
  return process.env.MAIL_FROM ?? "SkillRelay <no-reply@skillrelay.local>";
}

let smtp: { url: string; transport: Transporter } | undefined;
const fileTransport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });

function smtpTransport(url: string) {
  if (smtp?.url !== url) smtp = { url, transport: nodemailer.createTransport(url) };
  return smtp.transport;
}

/** Sends (or writes to the outbox) one message; resolves with where it went. */
export async function sendMail(message: MailMessage): Promise<{ via: "smtp"; id: string } | { via: "outbox"; file: string }> {
  const mail = { from: mailFrom(), ...message };
  const url = process.env.SMTP_URL;
  if (url) {
    const info = await smtpTransport(url).sendMail(mail);
    return { via: "smtp", id: String(info.messageId) };
  }
  const info = await fileTransport.sendMail(mail);
  const dir = outboxDir();
  await fs.mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = path.join(dir, `${stamp}-${crypto.randomBytes(4).toString("hex")}.eml`);
  await fs.writeFile(file, info.message as Buffer);
  return { via: "outbox", file };
}

const pending = new Set<Promise<unknown>>();

/**
 * Sends in the background (a slow SMTP server must not hold up a page); failures are logged
 * with the recipient and subject, never swallowed silently.
 */
export function queueMail(message: MailMessage) {
  const p = sendMail(message)
    .catch((err) => {
      console.error(`[mail] could not send "${message.subject}" to ${message.to}: ${err instanceof Error ? err.message : err}`);
    })
    .finally(() => pending.delete(p));
  pending.add(p);
}

/** Resolves when every queued message has been sent or has failed (tests, shutdown). */
export async function mailIdle() {
  while (pending.size) await Promise.allSettled([...pending]);
}
