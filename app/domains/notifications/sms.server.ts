// Outgoing SMS through one small interface. The default transport writes each message as a
// file into the SMS outbox (SMS_OUTBOX_DIR, default .data/sms-outbox), as e-mail does without
// SMTP_URL, so sign-up by phone works with no outside service. A real provider is plugged in
// with SMS_TRANSPORT=<path to a module whose default export is an SmsTransport> (see README);
// nothing here ever logs a message body (it carries codes).
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { maskPhone } from "~/utils/mask";

export interface SmsMessage {
  /** Mainland mobile number, 11 digits (as stored on User.phone). */
  to: string;
  text: string;
}

export interface SmsTransport {
  send(message: SmsMessage): Promise<{ id: string }>;
}

export function smsOutboxDir() {
  return path.resolve(process.env.SMS_OUTBOX_DIR ?? path.join(process.cwd(), ".data/sms-outbox"));
}

/** Writes `<time>-<random>.txt` with a To: line, a blank line and the text (mode 600). */
export const outboxTransport: SmsTransport = {
  async send(message) {
    const dir = smsOutboxDir();
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const id = `${stamp}-${crypto.randomBytes(4).toString("hex")}`;
    await fs.writeFile(path.join(dir, `${id}.txt`), `To: ${message.to}\n\n${message.text}\n`, { mode: 0o600 });
    return { id };
  },
};

let configured: { spec: string; transport: Promise<SmsTransport> } | undefined;

function transport(): Promise<SmsTransport> {
  const spec = process.env.SMS_TRANSPORT ?? "";
  if (!spec) return Promise.resolve(outboxTransport);
  if (configured?.spec !== spec) {
    const url = pathToFileURL(path.resolve(spec)).href;
    configured = {
      spec,
      transport: import(/* @vite-ignore */ url).then((m: { default?: SmsTransport }) => {
        if (typeof m.default?.send !== "function") throw new Error(`SMS_TRANSPORT ${spec} has no default export with send()`);
        return m.default;
      }),
    };
  }
  return configured.transport;
}

export async function sendSms(message: SmsMessage) {
  return (await transport()).send(message);
}

const pending = new Set<Promise<unknown>>();

/** Sends in the background; a failure is logged with the masked number only. */
export function queueSms(message: SmsMessage) {
  const p = sendSms(message)
    .catch((err) => {
      console.error(`[sms] could not send to ${maskPhone(message.to)}: ${err instanceof Error ? err.message : err}`);
    })
    .finally(() => pending.delete(p));
  pending.add(p);
}

/** Resolves when every queued SMS has been sent or has failed (tests, shutdown). */
export async function smsIdle() {
  while (pending.size) await Promise.allSettled([...pending]);
}
