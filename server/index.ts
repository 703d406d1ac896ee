import "./env.js";
import { startServer } from "./app.js";
import { rootLogger as logger } from "./logger.js";

const server = await startServer().catch((err) => {
  // One plain line for the person at the terminal (not JSON): what went wrong.
  console.error(`SkillRelay failed to start: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
logger.info(`SkillRelay is serving ${server.url} (${process.env.NODE_ENV})`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    const timer = setTimeout(() => process.exit(1), 10_000);
    await server.close().catch((err) => logger.error({ err }, "shutdown failed"));
    clearTimeout(timer);
    process.exit(0);
  });
}
