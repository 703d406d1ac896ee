import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { reportDatabaseError } from "./db-availability.server";
import { bumpPublicContent, isPublicContentWrite } from "./public-content.server";

// One client per process, created on first use so that tests can point DATABASE_URL at
// their own database before anything touches it.
let client: PrismaClient | undefined;

function createClient() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (the server sets it after opening the database)");
  // A connection the database ends (restart, crash) is reported, never an unhandled 'error'.
  const onError = (err: Error) => void reportDatabaseError(err);
  const base = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }, { onPoolError: onError, onConnectionError: onError }) });
  // Cached public pages (server/page-cache.ts) go stale with any write to what they show:
  // bumped before and after the write, so a render racing the write is not stored either.
  return base.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        if (!isPublicContentWrite(model, operation, args)) return query(args);
        bumpPublicContent();
        try {
          return await query(args);
        } finally {
          bumpPublicContent();
        }
      },
    },
  }) as unknown as PrismaClient;
}

export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    client ??= createClient();
    const value = Reflect.get(client, prop, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

export async function disconnectPrisma() {
  if (client) {
    const c = client;
    client = undefined;
    await c.$disconnect();
  }
}

/** A model delegate resolved on each use, for libraries that keep the delegate at import time. */
export function lazyDelegate<K extends keyof PrismaClient>(model: K): PrismaClient[K] {
  return new Proxy({} as object, {
    get(_target, prop) {
      const delegate = prisma[model] as Record<PropertyKey, unknown>;
      const value = delegate[prop];
      return typeof value === "function" ? value.bind(delegate) : value;
    },
  }) as PrismaClient[K];
}
