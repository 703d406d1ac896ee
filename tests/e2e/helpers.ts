import fs from "node:fs";
import path from "node:path";
import { expect, type BrowserContext, type Page } from "@playwright/test";
import { embeddedDatabaseUrl } from "../../server/db/postgres";

export const DEMO_PASSWORD = "skillrelay-demo";
export const DEMO = {
  learner: "learner@skillrelay.test",
  expert: "expert@skillrelay.test",
  school_admin: "school@skillrelay.test",
  admin: "admin@skillrelay.test",
} as const;

/** Logs a browser context in through the log-in endpoint (not the form: that has its own test). */
export async function loginAs(context: BrowserContext, baseURL: string, email: string, password = DEMO_PASSWORD) {
  const response = await context.request.post(`${baseURL}/login`, {
    form: { login: email, password, redirectTo: "/dashboard" },
    headers: { Origin: baseURL },
    maxRedirects: 0,
  });
  expect(response.status(), `log-in of ${email}`).toBe(302);
  const cookies = await context.cookies(baseURL);
  expect(cookies.some((c) => c.name === "auth_session")).toBe(true);
}

export function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@skillrelay.test`;
}

export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
}

// ── codes from the outboxes (e-mail .eml files and SMS .txt files the server writes) ──

export function outboxDir(kind: "mail" | "sms") {
  return kind === "mail"
    ? path.resolve(process.env.MAIL_OUTBOX_DIR ?? ".data/outbox")
    : path.resolve(process.env.SMS_OUTBOX_DIR ?? ".data/sms-outbox");
}

function messageBody(text: string) {
  const [head, ...rest] = text.split(/\r?\n\r?\n/);
  const body = rest.join("\n");
  return /Content-Transfer-Encoding: base64/i.test(head) ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8") : body;
}

const taken = new Set<string>();

/**
 * The 6-digit code of the newest message to `to` (an e-mail address or phone number) that no
 * earlier call returned: waits for the next message when the newest was already used.
 */
export async function latestCode(kind: "mail" | "sms", to: string, timeoutMs = 10_000) {
  const dir = outboxDir(kind);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).sort().reverse() : [];
    for (const f of files.slice(0, 200)) {
      const text = fs.readFileSync(path.join(dir, f), "utf8");
      if (!new RegExp(`^To: ${to.replace(/[.+]/g, "\\$&")}\\s*$`, "m").test(text)) continue;
      if (taken.has(f)) break; // the newest message to this address was used: wait for the next
      const code = messageBody(text).match(/(?<![0-9])([0-9]{6})(?![0-9])/);
      if (code) {
        taken.add(f);
        return code[1];
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code for ${to} in ${dir}`);
}

/** Signs a new learner up through the endpoints (address proven with the code from the outbox). */
export async function signUpByEmail(context: BrowserContext, baseURL: string, name: string, email: string, password: string) {
  const start = await context.request.post(`${baseURL}/signup`, {
    form: { intent: "start", name, login: email, password },
    headers: { Origin: baseURL },
    maxRedirects: 0,
  });
  expect(start.status(), `sign-up of ${name}`).toBe(302);
  const ticket = new URL(start.headers()["location"], baseURL).searchParams.get("ticket")!;
  const done = await context.request.post(`${baseURL}/signup`, {
    form: { intent: "code", ticket, code: await latestCode("mail", email) },
    headers: { Origin: baseURL },
    maxRedirects: 0,
  });
  expect(done.status(), `sign-up code of ${name}`).toBe(302);
  return done;
}

/** The e2e server's database (its embedded cluster has a random password, read when needed). */
export function e2eDatabaseUrl() {
  if (process.env.E2E_DATABASE_URL) return process.env.E2E_DATABASE_URL;
  const port = Number(process.env.E2E_PG_PORT ?? 55434);
  return embeddedDatabaseUrl({ dataDir: path.resolve(`.data/pg-e2e-${port}`), port, database: "skillrelay_e2e" });
}

/** On /schedule/availability (English): ticks every weekday and adds `from`–`to` hours to each. */
export async function addHoursEveryDay(page: Page, from: string, to: string) {
  for (const day of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]) {
    await page.getByLabel(day, { exact: true }).check();
  }
  await page.getByLabel("From", { exact: true }).fill(from);
  await page.getByLabel("To", { exact: true }).fill(to);
  await page.getByRole("button", { name: "Add hours" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
}
