// Start-up checks and messages: what must be in place before the server starts, the private
// data folders, and the one line printed when start-up fails (see server/index.ts).
import fs from "node:fs";
import path from "node:path";
import { StartupError } from "./startup-error.js";

export { StartupError };

const ROOT = path.resolve(import.meta.dirname, "..");

/** Fails early, before the database starts, on what `npm start` would have set up. */
export function checkPrerequisites(buildPath: string) {
  if (!fs.existsSync(buildPath)) {
    throw new StartupError("No Remix build found (build/index.js): run `npm start` (it builds) or `npm run build`.");
  }
  const worker = process.env.MEDIASOUP_WORKER_BIN || path.join(ROOT, "node_modules/mediasoup/worker/out/Release/mediasoup-worker");
  try {
    fs.accessSync(worker, fs.constants.X_OK);
  } catch {
    throw new StartupError(
      `The mediasoup worker binary ${worker} is missing or not executable: run \`sudo bash scripts/setup-system.sh\` (npm start does it as root), or set MEDIASOUP_WORKER_BIN.`,
    );
  }
}

/**
 * Folders under .data (and wherever their variables point) hold uploads, mail, recordings,
 * the secret key and database passwords: nobody but the server's user may read them.
 * Folders become 700 and files directly in .data 600; everything the process creates later
 * is private through the umask set in server/index.ts.
 */
export function privateDataPaths() {
  const cwd = process.cwd();
  return {
    folders: [
      path.join(ROOT, ".data"),
      path.resolve(process.env.STORAGE_DIR ?? path.join(cwd, ".data/uploads")),
      path.resolve(process.env.MAIL_OUTBOX_DIR ?? path.join(cwd, ".data/outbox")),
      path.resolve(process.env.RECORDINGS_DIR ?? path.join(cwd, ".data/recordings")),
    ],
    files: [path.resolve(process.env.SKILLRELAY_SECRET_KEY_FILE ?? path.join(ROOT, ".data/secret.key"))],
  };
}

export function securePrivateData() {
  const { folders, files } = privateDataPaths();
  const [dataDir, ...others] = folders;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
  for (const entry of fs.readdirSync(dataDir, { withFileTypes: true })) {
    const p = path.join(dataDir, entry.name);
    if (entry.isDirectory()) fs.chmodSync(p, 0o700);
    else if (entry.isFile()) fs.chmodSync(p, 0o600);
  }
  for (const folder of others) {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    fs.chmodSync(folder, 0o700);
  }
  for (const file of files) if (fs.existsSync(file)) fs.chmodSync(file, 0o600);
}

/** The one line for a start-up failure: what is wrong and what to do. */
export function explainStartupError(err: unknown, ctx: { port?: number } = {}): string {
  if (err instanceof StartupError) return err.message;
  const code = (err as { code?: string } | undefined)?.code;
  const syscall = (err as { syscall?: string } | undefined)?.syscall;
  if (syscall === "listen" && code === "EADDRINUSE") {
    return `Port ${ctx.port ?? (err as { port?: number }).port} is in use (another SkillRelay or another program?): stop it, or set PORT to a free port.`;
  }
  if (syscall === "listen" && code === "EACCES") {
    return `Not allowed to listen on port ${ctx.port}: use a port above 1023 (PORT) or run behind a reverse proxy.`;
  }
  if (code === "EACCES" || code === "EPERM") {
    return `Permission denied: ${(err as Error).message}. Run the server as the user who owns the project folder.`;
  }
  if (code === "ENOSPC") return `The disk is full: ${(err as Error).message}. Free some space and start again.`;
  const message = err instanceof Error ? err.message : String(err);
  return `${message.split("\n").find((l) => l.trim()) ?? "unknown error"} (set DEBUG_STARTUP=1 for the details)`;
}
