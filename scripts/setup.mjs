#!/usr/bin/env node
// Sets up whatever is missing, fast when nothing is: Debian packages (mediasoup's worker,
// Chromium for tests), npm packages, the Prisma client and the Remix build.
// Uses only Node built-ins: it runs before node_modules exists.
//   node scripts/setup.mjs          for `npm start` (production build)
//   node scripts/setup.mjs --test   for `npm test` (also Chromium)
//   node scripts/setup.mjs --dev    for `npm run dev` (no build: remix dev builds)
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const args = new Set(process.argv.slice(2));
const mode = args.has("--test") ? "test" : args.has("--dev") ? "dev" : "start";
const WORKER_BIN = "/usr/lib/x86_64-linux-gnu/mediasoup/mediasoup-worker";

const env = {
  ...process.env,
  MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN ?? WORKER_BIN,
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1",
};

function step(title, fn) {
  const t0 = Date.now();
  const did = fn();
  if (did) console.log(`setup: ${title} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

function run(cmd, cmdArgs, extraEnv = {}) {
  const result = spawnSync(cmd, cmdArgs, { cwd: ROOT, stdio: "inherit", env: { ...env, ...extraEnv } });
  if (result.status !== 0) {
    console.error(`setup: \`${cmd} ${cmdArgs.join(" ")}\` failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

function mtime(p) {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

function hashTree(entries) {
  const hash = crypto.createHash("sha256");
  const walk = (p) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    } else {
      hash.update(path.relative(ROOT, p));
      hash.update(fs.readFileSync(p));
    }
  };
  for (const e of entries) walk(path.join(ROOT, e));
  return hash.digest("hex");
}

// 1. Debian packages (needs root; prints the command otherwise).
step("Debian packages installed", () => {
  // The script itself checks what is present and exits at once when nothing is missing.
  const result = spawnSync("bash", [path.join(ROOT, "scripts/setup-system.sh")], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...env, ...(mode === "test" ? {} : { SKIP_CHROMIUM: "1" }) },
    encoding: "utf8",
  });
  if (result.status !== 0) process.exit(result.status || 1);
  if (result.stdout) process.stdout.write(result.stdout);
  return Boolean(result.stdout);
});

// 2. npm packages, when package-lock.json changed since the last install.
step("npm packages installed", () => {
  const marker = path.join(ROOT, "node_modules/.package-lock.json");
  if (mtime(marker) >= mtime(path.join(ROOT, "package-lock.json"))) return false;
  run("npm", ["ci", "--no-audit", "--no-fund"]);
  return true;
});

// 3. Prisma client, when the schema differs from the one it was generated from.
step("Prisma client generated", () => {
  const digest = hashTree(["prisma/schema.prisma", "package-lock.json"]);
  const stamp = path.join(ROOT, "node_modules/.prisma/client/.inputs-sha256");
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === digest) return false;
  run(process.execPath, ["node_modules/prisma/build/index.js", "generate"]);
  fs.writeFileSync(stamp, digest);
  return true;
});

// 4. Remix production build, when any input changed. `remix dev` writes the same folders,
// so a dev session invalidates the stamp.
if (mode === "dev") fs.rmSync(path.join(ROOT, "build/.inputs-sha256"), { force: true });
else {
  step("Remix app built", () => {
    const inputs = ["app", "remix.config.js", "postcss.config.js", "package-lock.json", "tsconfig.json"];
    const digest = hashTree(inputs);
    const stamp = path.join(ROOT, "build/.inputs-sha256");
    if (fs.existsSync(path.join(ROOT, "build/index.js")) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === digest) {
      return false;
    }
    run(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "build"], { NODE_ENV: "production" });
    // Brotli and gzip copies of the browser build, sent as they are (scripts/compress-assets.mjs).
    run(process.execPath, ["scripts/compress-assets.mjs"]);
    fs.writeFileSync(stamp, digest);
    return true;
  });
}
