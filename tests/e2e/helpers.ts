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

/** The e2e server's database (its embedded cluster has a random password, read when needed). */
export function e2eDatabaseUrl() {
  if (process.env.E2E_DATABASE_URL) return process.env.E2E_DATABASE_URL;
  const port = Number(process.env.E2E_PG_PORT ?? 55434);
  return embeddedDatabaseUrl({ dataDir: path.resolve(`.data/pg-e2e-${port}`), port, database: "skillrelay_e2e" });
}
