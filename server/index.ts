import "./env.js";
import { startServer } from "./app.js";
import { rootLogger as logger } from "./logger.js";
import { explainStartupError } from "./startup.js";

// Files and folders the server creates (uploads, mail, recordings, keys) are its user's alone.
process.umask(0o077);

// Start-up failures, also those raised as 'error' events or rejections outside startServer's
// promise, end in one line that says what to do (DEBUG_STARTUP=1 adds the stack).
const failStartup = (err: unknown) => {
  console.error(`SkillRelay failed to start: ${explainStartupError(err, { port: Number(process.env.PORT ?? 3000) })}`);
  if (process.env.DEBUG_STARTUP) console.error(err);
  process.exit(1);
};
process.on("uncaughtException", failStartup);
process.on("unhandledRejection", failStartup);
const server = await startServer().catch(failStartup);
process.off("uncaughtException", failStartup);
process.off("unhandledRejection", failStartup);
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
