// Prisma CLI configuration: runs the schema engine as WebAssembly through the pg driver
// adapter, so nothing is downloaded (this machine reaches only the npm registry).
//
// Pinned: prisma, @prisma/client, @prisma/adapter-pg 6.19.3, pg 8.16. The workarounds below
// are for bugs of @prisma/adapter-pg 6.19.3 under `prisma migrate dev`; the runtime
// (server/db) needs none of them. Re-check each one when upgrading.
import path from "node:path";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// The CLI ignores .env when a config file exists; default here so the schema stays readable
// (otherwise the CLI falls back to downloading engines and the real error hides behind ENOTFOUND).
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/skillrelay_dev";

// Workaround 1: introspection fails with "Column type 'name' could not be deserialized".
// Report catalog types as text (name 19, char 18, regproc 24, pg_node_tree 194, regclass 2205)
// and their arrays (1002, 1003) as text[] (1009). Leave oid 26/1028 alone: pg already
// returns numbers there and remapping them breaks migrations once a foreign key exists.
const AS_TEXT = new Set([18, 19, 24, 194, 2205]);
const AS_TEXT_ARRAY = new Set([1002, 1003]);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function remapFields(res: any) {
  for (const field of res?.fields ?? []) {
    if (AS_TEXT.has(field.dataTypeID)) field.dataTypeID = 25;
    else if (AS_TEXT_ARRAY.has(field.dataTypeID)) field.dataTypeID = 1009;
  }
  return res;
}
class CatalogTypesAsText extends pg.Client {
  // pg.Pool calls query with a callback; direct callers use the promise form.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(...args: any[]): any {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      args[args.length - 1] = (err: unknown, res: any) => last(err, err ? res : remapFields(res));
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as any)(...args);
    return result && typeof result.then === "function" ? result.then(remapFields) : result;
  }
}

function poolConfig(database?: string): pg.PoolConfig {
  const url = new URL(process.env.DATABASE_URL!);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password) || undefined,
    database: database ?? url.pathname.slice(1),
    Client: CatalogTypesAsText,
    allowExitOnIdle: true, // saves ~10 s per command
  };
}

class CliAdapterFactory extends PrismaPg {
  constructor() {
    super(poolConfig());
  }
  // Workaround 2: the shadow connection loses the database name (from a URL) or the password
  // (from a Pool): give it a plain PoolConfig. Workaround 3: the adapter drops the shadow
  // database before closing its pool ("is being accessed by other users"): create it and drop
  // it ourselves, after dispose.
  async connectToShadowDb() {
    const name = `skillrelay_shadow_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    const admin = new pg.Client({ ...poolConfig("postgres"), Client: undefined } as pg.ClientConfig);
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const adapter = await new PrismaPg(poolConfig(name)).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      const dropper = new pg.Client({ ...poolConfig("postgres"), Client: undefined } as pg.ClientConfig);
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}"`);
      await dropper.end();
    };
    return adapter;
  }
}

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new CliAdapterFactory();
  },
});
