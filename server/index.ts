import "./env.js";
import { startServer } from "./app.js";

const server = await startServer().catch((err) => {
  console.error(`SkillRelay failed to start: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
console.log(`SkillRelay is serving ${server.url} (${process.env.NODE_ENV})`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    const timer = setTimeout(() => process.exit(1), 10_000);
    await server.close().catch((err) => console.error(err));
    clearTimeout(timer);
    process.exit(0);
  });
}
