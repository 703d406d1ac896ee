// Creates a platform admin: the first one of a production install (no demo accounts exist
// there), or another one later.
//   npm run admin:create -- --email ops@example.cn --name "Ops Admin" < password.txt
//   SKILLRELAY_ADMIN_PASSWORD=... npm run admin:create -- --email ops@example.cn --name "Ops Admin"
// The password comes from SKILLRELAY_ADMIN_PASSWORD or the first line of standard input
// (never a flag: flags end up in shell history and `ps`). Works against DATABASE_URL, or the
// embedded database (the running server's, or started just for this).
import "../server/env.js";
import { parseArgs } from "node:util";
import { z } from "zod";
import pg from "pg";
import {
  defaultEmbeddedOptions,
  embeddedDatabaseUrl,
  migrateIfNeeded,
  startEmbedded,
  type DatabaseHandle,
} from "../server/db/postgres.js";
import { StartupError } from "../server/startup-error.js";
import { DEMO_PASSWORD } from "../prisma/seed.js";

export const ADMIN_PASSWORD_MIN = 12;
const OBVIOUS = ["password", "passw0rd", "skillrelay", "admin", "qwerty", "123456", "abcdef", "letmein", "welcome", "iloveyou"];

/** Why `password` is too weak for a platform admin, or undefined when it will do. */
export function adminPasswordProblem(password: string, email: string): string | undefined {
  if (password.length < ADMIN_PASSWORD_MIN) return `the password must have at least ${ADMIN_PASSWORD_MIN} characters`;
  if (password.length > 256) return "the password must have at most 256 characters";
  if (new Set(password).size < 6) return "the password repeats too few different characters";
  const lower = password.toLowerCase();
  if (lower === DEMO_PASSWORD) return "the demo password is published in the README";
  const local = email.split("@")[0].toLowerCase();
  if (local.length >= 4 && lower.includes(local)) return "the password must not contain the e-mail address";
  const stripped = OBVIOUS.reduce((s, word) => s.replaceAll(word, ""), lower).replace(/[\d\W_]+/g, "");
  if (stripped.length < 4) return "the password is made of common words and digits; use a passphrase or a generated password";
  return undefined;
}

const argsSchema = z.object({
  email: z.string().trim().toLowerCase().email("--email must be an e-mail address").max(254),
  name: z.string().trim().min(1, "--name must not be empty").max(100),
});

async function readPassword() {
  if (process.env.SKILLRELAY_ADMIN_PASSWORD) return process.env.SKILLRELAY_ADMIN_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write("Password (one line, then Enter; it is shown as you type): ");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0];
}

/** DATABASE_URL, the embedded cluster a running server holds, or the embedded cluster started now. */
async function openForScript(): Promise<DatabaseHandle> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  const opts = defaultEmbeddedOptions();
  try {
    const url = embeddedDatabaseUrl(opts);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    client.on("error", () => {});
    await client.connect();
    await client.end();
    return { url, embedded: true, stop: async () => {} };
  } catch {
    return startEmbedded(opts);
  }
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({ options: { email: { type: "string" }, name: { type: "string" } }, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const args = argsSchema.safeParse(parsed.values);
  if (!args.success) throw new UsageError(args.error.issues.map((i) => (i.path[0] && i.code === "invalid_type" ? `--${String(i.path[0])} is required` : i.message)).join("; "));
  const { email, name } = args.data;
  const password = await readPassword();
  const problem = adminPasswordProblem(password ?? "", email);
  if (problem) throw new StartupError(`Refused: ${problem}.`);

  const db = await openForScript();
  try {
    await migrateIfNeeded(db.url);
    process.env.DATABASE_URL = db.url;
    const { prisma, disconnectPrisma } = await import("~/domains/db.server");
    const { hashPassword } = await import("~/domains/auth/password.server");
    try {
      const existing = await prisma.user.findUnique({ where: { email }, select: { id: true, role: true } });
      if (existing) throw new StartupError(`Refused: ${email} already has an account (role ${existing.role}); choose another e-mail address.`);
      const user = await prisma.user.create({
        data: { email, name, role: "admin", passwordHash: await hashPassword(password), locale: "en", emailVerifiedAt: new Date() },
      });
      console.log(`Created platform admin ${email} (id ${user.id}). Log in at /login.`);
    } finally {
      await disconnectPrisma();
    }
  } finally {
    await db.stop();
  }
}

class UsageError extends Error {}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    () => process.exit(0),
    (err) => {
      if (err instanceof UsageError) {
        console.error(`admin:create: ${err.message}\nusage: npm run admin:create -- --email <address> --name <name>  (password from SKILLRELAY_ADMIN_PASSWORD or stdin)`);
        process.exit(2);
      }
      console.error(`admin:create: ${err instanceof StartupError ? err.message : err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
      process.exit(1);
    },
  );
}
