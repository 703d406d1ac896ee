// One PostgreSQL for the whole run (TEST_DATABASE_URL's server, or an embedded cluster of
// its own), with a freshly migrated template database; each test file clones the template
// into a database of its own (tests/setup/per-file-db.ts).
import path from "node:path";
import type { TestProject } from "vitest/node";
import { dropDatabase, ensureDatabaseExists, migrateDeploy, startEmbedded, type DatabaseHandle } from "../../server/db/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
  }
}

let handle: DatabaseHandle | undefined;

export default async function setup(project: TestProject) {
  let templateUrl: string;
  if (process.env.TEST_DATABASE_URL) {
    const url = new URL(process.env.TEST_DATABASE_URL);
    url.pathname = "/skillrelay_test_template";
    templateUrl = url.toString();
  } else {
    handle = await startEmbedded({
      dataDir: path.resolve(import.meta.dirname, "../../.data/pg-test"),
      port: Number(process.env.TEST_PG_PORT ?? 55433),
      database: "postgres",
    });
    const url = new URL(handle.url);
    url.pathname = "/skillrelay_test_template";
    templateUrl = url.toString();
  }
  await dropDatabase(templateUrl);
  await ensureDatabaseExists(templateUrl);
  migrateDeploy(templateUrl);
  project.provide("templateDatabaseUrl", templateUrl);
  return async () => {
    await handle?.stop();
  };
}
