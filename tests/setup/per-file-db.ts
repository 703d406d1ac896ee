// Gives this test file a database of its own, cloned from the migrated template, and points
// DATABASE_URL at it before any application module opens a connection.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, inject } from "vitest";

const templateUrl = new URL(inject("templateDatabaseUrl"));
const name = `skillrelay_test_${crypto.randomBytes(6).toString("hex")}`;
const adminUrl = new URL(templateUrl);
adminUrl.pathname = "/postgres";

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

await admin(`CREATE DATABASE "${name}" TEMPLATE "${templateUrl.pathname.slice(1)}"`);
const fileUrl = new URL(templateUrl);
fileUrl.pathname = `/${name}`;
process.env.DATABASE_URL = fileUrl.toString();
// Uploaded files of this test file go to a folder of its own.
process.env.STORAGE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-storage-"));

afterAll(async () => {
  const { disconnectPrisma } = await import("~/domains/db.server");
  await disconnectPrisma();
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  fs.rmSync(process.env.STORAGE_DIR!, { recursive: true, force: true });
});
