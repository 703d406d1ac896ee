// Starts the production server in a child process for benchmarks, with a database of its own.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

export async function startBenchServer(port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: process.env.BENCH_DATABASE_URL ?? "",
      EMBEDDED_PG_DIR: ".data/pg-bench",
      EMBEDDED_PG_PORT: process.env.BENCH_PG_PORT ?? "55435",
      EMBEDDED_PG_DATABASE: "skillrelay_bench",
      LIVE_LOG_LEVEL: "warn",
      SKILLRELAY_DEMO_DATA: "1",
    },
    // stdout (the access log) goes to /dev/null: a pipe nobody reads fills after ~64 KB of log
    // lines and then blocks the server's synchronous log writes (the bench hung mid-run).
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("server did not start in 120 s");
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
