import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    environment: "node",
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    globalSetup: ["tests/setup/global-db.ts"],
    setupFiles: ["tests/setup/per-file-db.ts"],
    // Two cores: real workers and databases per file, so keep parallelism modest.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN ?? "/usr/lib/x86_64-linux-gnu/mediasoup/mediasoup-worker",
      NODE_ENV: "test",
      // Tests log in as the demo accounts; the server would not seed them on a DATABASE_URL.
      SKILLRELAY_DEMO_DATA: "1",
      // A fixed test key, so tests never create or read the developer's .data/secret.key.
      SKILLRELAY_SECRET_KEY: Buffer.alloc(32, 7).toString("base64"),
    },
  },
});
