// First run, anywhere: the real server (`node server/index.ts`, as `npm start` runs it) and
// the real embedded PostgreSQL, started from private folders, failing with one clear line,
// keeping .data private, and creating demo data only for the embedded local default.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { startEmbedded, type EmbeddedHandle } from "../../server/db/postgres";
import { DEMO_USERS } from "../../prisma/seed";

const ROOT = path.resolve(import.meta.dirname, "../..");
const tmpRoots: string[] = [];
const clusters: EmbeddedHandle[] = [];

afterAll(async () => {
  for (const c of clusters) {
    await c.stop();
    if (c.dataDir.includes("/clusters/")) {
      fs.rmSync(c.dataDir, { recursive: true, force: true });
      fs.rmSync(`${c.dataDir}.origin`, { force: true });
    }
  }
  for (const dir of tmpRoots) fs.rmSync(dir, { recursive: true, force: true });
});

/** A private (mode 700) folder, like root's home or `mktemp -d`. */
function privateDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-firstrun-"));
  fs.chmodSync(dir, 0o700);
  tmpRoots.push(dir);
  return dir;
}

async function freePort() {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

interface Child {
  port: number;
  stderr: () => string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts `node server/index.ts` with `env` on top of this process's environment. */
async function startServerProcess(env: Record<string, string | undefined>, waitHealthy = true): Promise<Child> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const dir = privateDir();
  const fullEnv: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    STORAGE_DIR: path.join(dir, "uploads"),
    MAIL_OUTBOX_DIR: path.join(dir, "outbox"),
    RECORDINGS_DIR: path.join(dir, "recordings"),
    MEDIASOUP_NUM_WORKERS: "1",
    LIVE_LOG_LEVEL: "warn",
    ...env,
  };
  for (const [k, v] of Object.entries(fullEnv)) if (v === undefined) delete fullEnv[k];
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], { cwd: ROOT, env: fullEnv as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  child.stdout.on("data", () => {});
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const result: Child = {
    port,
    stderr: () => stderr,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
  if (waitHealthy) {
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`server not healthy in 90 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return result;
}

function expectOneLine(stderr: string) {
  const lines = stderr.split("\n").filter((l) => l.trim());
  expect(stderr, "no stack frames").not.toMatch(/^\s+at /m);
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^SkillRelay failed to start: /);
  return lines[0];
}

describe("start-up failures print one line saying what to do", () => {
  it("HTTP port already taken → exit 1, one line naming PORT, no stack trace", async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, "127.0.0.1", () => r()));
    try {
      const child = await startServerProcess({ PORT: String(port), SKILLRELAY_DEMO_DATA: "0" }, false);
      expect(await child.exited).toBe(1);
      expect(expectOneLine(child.stderr())).toMatch(new RegExp(`Port ${port} is in use.*set PORT`));
    } finally {
      blocker.close();
    }
  }, 90_000);

  it("DATABASE_URL unreachable → one line naming DATABASE_URL, without the password", async () => {
    const port = await freePort();
    const child = await startServerProcess({ DATABASE_URL: `postgresql://u:secret-pw@127.0.0.1:${port}/x` }, false);
    expect(await child.exited).toBe(1);
    const line = expectOneLine(child.stderr());
    expect(line).toMatch(/Cannot connect to the database at 127\.0\.0\.1:\d+\/x: nothing listens there.*DATABASE_URL/);
    expect(line).not.toContain("secret-pw");
  }, 60_000);

  it("missing mediasoup worker binary → one line naming MEDIASOUP_WORKER_BIN", async () => {
    const child = await startServerProcess({ MEDIASOUP_WORKER_BIN: "/nonexistent/mediasoup-worker" }, false);
    expect(await child.exited).toBe(1);
    expect(expectOneLine(child.stderr())).toMatch(/mediasoup worker binary \/nonexistent\/mediasoup-worker is missing.*MEDIASOUP_WORKER_BIN/);
  }, 60_000);

  it("embedded database port taken → one line naming EMBEDDED_PG_PORT", async () => {
    const blocker = net.createServer();
    const pgPort = await freePort();
    await new Promise<void>((r) => blocker.listen(pgPort, "127.0.0.1", () => r()));
    const dataDir = path.join(privateDir(), ".data/postgres");
    try {
      const child = await startServerProcess({ DATABASE_URL: undefined, EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) }, false);
      expect(await child.exited).toBe(1);
      expect(expectOneLine(child.stderr())).toMatch(new RegExp(`cannot listen on port ${pgPort}: it is in use.*EMBEDDED_PG_PORT`));
    } finally {
      blocker.close();
      const link = fs.lstatSync(dataDir, { throwIfNoEntry: false });
      if (link?.isSymbolicLink()) {
        const target = fs.readlinkSync(dataDir);
        fs.rmSync(target, { recursive: true, force: true });
        fs.rmSync(`${target}.origin`, { force: true });
      }
    }
  }, 120_000);
});

describe("embedded PostgreSQL from a private folder", () => {
  it("initialises and starts inside a mode-700 folder, with a random superuser password in a 600 file", async () => {
    const project = privateDir();
    const requested = path.join(project, ".data/pg");
    const port = await freePort();
    const cluster = await startEmbedded({ dataDir: requested, port, database: "firstrun" });
    clusters.push(cluster);
    expect(cluster.passwordFile).toBe(`${fs.realpathSync(path.dirname(requested))}/pg.password`);
    expect(mode(cluster.passwordFile)).toBe("600");
    const password = fs.readFileSync(cluster.passwordFile, "utf8").trim();
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    expect(new URL(cluster.url).password).toBe(password);
    if (process.getuid?.() === 0) {
      // The postgres user cannot enter the 700 folder: the cluster lives where it can.
      expect(fs.lstatSync(requested).isSymbolicLink()).toBe(true);
      expect(fs.readlinkSync(requested)).toBe(cluster.dataDir);
      expect(fs.statSync(cluster.dataDir).uid).not.toBe(0);
    } else expect(cluster.dataDir).toBe(fs.realpathSync(requested));

    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    expect((await client.query("SELECT current_database() AS db")).rows[0].db).toBe("firstrun");
    await client.end();
    const old = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${port}/firstrun` });
    await expect(old.connect()).rejects.toMatchObject({ code: "28P01" });
  }, 120_000);

  it("a cluster from before password files (postgres/postgres) gets a random password at its next start", async () => {
    const requested = path.join(privateDir(), ".data/postgres");
    const port = await freePort();
    const cluster = await startEmbedded({ dataDir: requested, port, database: "legacy" });
    clusters.push(cluster);
    // Make it look like an old cluster: superuser password `postgres`, clear-text auth, no file.
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await client.query("ALTER ROLE postgres WITH PASSWORD 'postgres'");
    await client.end();
    await cluster.stop();
    const hba = path.join(cluster.dataDir, "pg_hba.conf");
    fs.writeFileSync(hba, fs.readFileSync(hba, "utf8").replaceAll("scram-sha-256", "password"));
    fs.rmSync(cluster.passwordFile);

    const again = await startEmbedded({ dataDir: requested, port, database: "legacy" });
    clusters.push(again);
    const password = fs.readFileSync(again.passwordFile, "utf8").trim();
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    expect(mode(again.passwordFile)).toBe("600");
    const ok = new pg.Client({ connectionString: again.url });
    await ok.connect();
    await ok.end();
    const old = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${port}/legacy` });
    await expect(old.connect()).rejects.toMatchObject({ code: "28P01" });
    expect(fs.readFileSync(hba, "utf8")).not.toMatch(/^host.*\spassword\s*$/m);
  }, 120_000);
});

describe.runIf(process.getuid?.() === 0)("as root, a cluster an earlier version made inside the project", () => {
  it("moves out of the project at its next start, data intact, and the project gets a symlink", async () => {
    const port = await freePort();
    const first = await startEmbedded({ dataDir: path.join(privateDir(), ".data/pg"), port, database: "adopt" });
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    await client.query("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
    await client.end();
    await first.stop();
    // The old layout: the cluster directory itself in <project>/.data/postgres.
    const project = privateDir();
    const inPlace = path.join(project, ".data/postgres");
    fs.mkdirSync(path.dirname(inPlace), { mode: 0o700 });
    fs.renameSync(first.dataDir, inPlace);
    fs.rmSync(`${first.dataDir}.origin`, { force: true });
    fs.copyFileSync(first.passwordFile, `${inPlace}.password`);

    const adopted = await startEmbedded({ dataDir: inPlace, port, database: "adopt" });
    clusters.push(adopted);
    expect(fs.lstatSync(inPlace).isSymbolicLink()).toBe(true);
    expect(adopted.dataDir).toMatch(/\/clusters\/postgres-[0-9a-f]{12}$/);
    const again = new pg.Client({ connectionString: adopted.url });
    await again.connect();
    expect((await again.query("SELECT v FROM kept")).rows).toEqual([{ v: "still here" }]);
    await again.end();
  }, 120_000);
});

describe("a production start against an external database", () => {
  it("keeps .data private, creates no demo data, and admin:create makes an admin who can log in", async () => {
    const dir = privateDir();
    const folders = ["uploads", "outbox", "recordings"].map((n) => path.join(dir, "loose", n));
    for (const f of folders) fs.mkdirSync(f, { recursive: true, mode: 0o777 });
    for (const f of folders) fs.chmodSync(f, 0o777);
    const keyFile = path.join(dir, "loose", "secret.key");
    fs.writeFileSync(keyFile, Buffer.alloc(32, 9).toString("base64"));
    fs.chmodSync(keyFile, 0o644);
    const env = {
      NODE_ENV: "production",
      SKILLRELAY_DEMO_DATA: undefined,
      STORAGE_DIR: folders[0],
      MAIL_OUTBOX_DIR: folders[1],
      RECORDINGS_DIR: folders[2],
      SKILLRELAY_SECRET_KEY: undefined,
      SKILLRELAY_SECRET_KEY_FILE: keyFile,
    };
    const server = await startServerProcess(env);
    try {
      for (const f of folders) expect(mode(f), f).toBe("700");
      expect(mode(keyFile)).toBe("600");
      expect(mode(path.join(ROOT, ".data"))).toBe("700");
      expect(await prisma.user.count({ where: { email: { in: DEMO_USERS.map((u) => u.email) } } })).toBe(0);
      expect(await prisma.course.count()).toBe(0);

      const weak = spawnSync(process.execPath, ["--import", "tsx", "scripts/admin-create.ts", "--email", "ops@example.cn", "--name", "Ops"], {
        cwd: ROOT,
        input: "short\n",
        encoding: "utf8",
        env: { ...process.env, SKILLRELAY_ADMIN_PASSWORD: "" },
      });
      expect(weak.status).toBe(1);
      expect(weak.stderr).toMatch(/at least 12 characters/);

      const password = "tall-ladder-77-orchard";
      const created = spawnSync(process.execPath, ["--import", "tsx", "scripts/admin-create.ts", "--email", "Ops@Example.cn", "--name", "Ops Admin"], {
        cwd: ROOT,
        input: `${password}\n`,
        encoding: "utf8",
        env: { ...process.env, SKILLRELAY_ADMIN_PASSWORD: "" },
      });
      expect(created.status, created.stderr).toBe(0);
      expect(created.stdout).toMatch(/Created platform admin ops@example\.cn/);
      expect(await prisma.user.findUnique({ where: { email: "ops@example.cn" }, select: { role: true } })).toEqual({ role: "admin" });

      const base = `http://127.0.0.1:${server.port}`;
      const login = await fetch(`${base}/login`, {
        method: "POST",
        headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ login: "ops@example.cn", password, redirectTo: "/admin" }),
        redirect: "manual",
      });
      expect(login.status).toBe(302);
      const cookie = login.headers.get("set-cookie")!.split(";")[0];
      const page = await fetch(`${base}/dashboard`, { headers: { Cookie: cookie } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Ops Admin");
      const demo = await fetch(`${base}/login`, {
        method: "POST",
        headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ login: "admin@skillrelay.test", password: "skillrelay-demo" }),
        redirect: "manual",
      });
      expect(demo.status).not.toBe(302);
    } finally {
      await server.stop();
    }
  }, 180_000);
});
