import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM, chromiumArgs } from "./tests/support/chromium";

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://localhost:${PORT}`;

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    permissions: ["camera", "microphone"],
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: { executablePath: CHROMIUM, args: chromiumArgs() },
      },
    },
  ],
  webServer: {
    command: "node --import tsx server/index.ts",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      // A cluster and a fresh database of its own, so a running `npm start` is untouched.
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
      // Per port, so two runs on different ports never share (and stop) one cluster.
      EMBEDDED_PG_DIR: `.data/pg-e2e-${process.env.E2E_PG_PORT ?? "55434"}`,
      EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? "55434",
      EMBEDDED_PG_DATABASE: "skillrelay_e2e",
      SKILLRELAY_FRESH_DB: "1",
      // Production mode, yet the specs log in as the demo accounts: ask for them explicitly.
      SKILLRELAY_DEMO_DATA: "1",
    },
  },
});
