// Every rate limit of the accounts area, in one place (docs/decisions/008-accounts-verification-limits.md).
// rate-limiter-flexible, one store shared by every server process (limiterStore()):
// - REDIS_URL set: RateLimiterRedis (one Lua INCR+EXPIRE per consume), with the Postgres
//   store as its insurance while Redis is away, so the counts stay shared and nothing is let
//   through unlimited (docs/decisions/019-scale-out-redis.md);
// - otherwise the Postgres store: each consume is one atomic INSERT … ON CONFLICT DO UPDATE …
//   RETURNING, so parallel requests cannot all slip through between a check and a record.
//
// Keys are hashed before they are stored: the table never holds an e-mail, phone number or
// address in clear.
import crypto from "node:crypto";
import pg from "pg";
import { RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { redisClient, redisPrefix, redisUrl } from "~/domains/redis.server";

let pool: { url: string; pool: pg.Pool } | undefined;

function storePool() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (the server sets it after opening the database)");
  if (pool?.url !== url) {
    const p = new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
    // An idle connection dropped by the server (restart, a test dropping its database) must
    // not become an unhandled 'error' event; the next query opens a new one.
    p.on("error", () => {});
    pool = { url, pool: p };
  }
  return pool.pool;
}

export type LimitResult =
  | { ok: true; consumed: number; remaining: number }
  | { ok: false; retryAfterSeconds: number };

/**
 * The one factory of the stores behind every Limit: Redis (Postgres insurance) with
 * REDIS_URL, Postgres otherwise. Both shared across processes.
 */
export function limiterStore(opts: { name: string; points: number; durationSeconds: number }): RateLimiterAbstract {
  const postgres = new RateLimiterPostgres({
    storeClient: storePool(),
    storeType: "pool",
    tableName: "rate_limits",
    tableCreated: true, // by the Prisma migration (model RateLimit)
    keyPrefix: opts.name,
    points: opts.points,
    duration: opts.durationSeconds,
  });
  const client = redisUrl() ? redisClient("limits", { failFast: true }) : undefined;
  if (!client) return postgres;
  return new RateLimiterRedis({
    storeClient: client,
    useRedisPackage: true,
    // Redis not connected: straight to the insurance, no waiting on a dead socket.
    rejectIfRedisNotReady: true,
    insuranceLimiter: postgres,
    keyPrefix: `${redisPrefix()}:limits:${opts.name}`,
    points: opts.points,
    duration: opts.durationSeconds,
  });
}

export class Limit {
  private limiter: { url: string; redis: string | undefined; store: RateLimiterAbstract } | undefined;

  constructor(
    readonly name: string,
    readonly points: number,
    readonly durationSeconds: number,
  ) {}

  private store() {
    storePool();
    const url = process.env.DATABASE_URL!;
    const redis = redisUrl();
    if (this.limiter?.url !== url || this.limiter.redis !== redis) {
      this.limiter = { url, redis, store: limiterStore({ name: this.name, points: this.points, durationSeconds: this.durationSeconds }) };
    }
    return this.limiter.store;
  }

  private static key(raw: string) {
    return crypto.createHash("sha256").update(raw).digest("base64url").slice(0, 32);
  }

  /** Takes one point (atomically); refused once the points of the window are used up. */
  async consume(raw: string, points = 1): Promise<LimitResult> {
    try {
      const res = await this.store().consume(Limit.key(raw), points);
      return { ok: true, consumed: res.consumedPoints, remaining: res.remainingPoints };
    } catch (err) {
      if (err instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
      throw err;
    }
  }

  /** Gives points back (a log-in that turned out right should not count against a class). */
  async reward(raw: string, points = 1) {
    await this.store().reward(Limit.key(raw), points);
  }

  async reset(raw: string) {
    await this.store().delete(Limit.key(raw));
  }
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;

// ── log-in by password ──
// Per account and address: the attacker at one address; slowed down from the 6th failure,
// refused after the 10th in 15 minutes. The owner elsewhere is not affected.
export const loginPairLimiter = new Limit("login_pair", 10, 15 * MINUTE);
/** Across addresses: a distributed guesser. Loose, so the owner is rarely caught by it. */
export const loginAccountLimiter = new Limit("login_account", 100, HOUR);
/** One address: high enough for a school lab of 40+ learners behind one NAT, typos included. */
export const loginAddressLimiter = new Limit("login_address", 300, 15 * MINUTE);

/** Failures on one (account, address) pair before answers are slowed down. */
export const LOGIN_FREE_FAILURES = 5;

/** The CAPTCHA-free slow-down: the delay before the n-th attempt of a pair is evaluated. */
export function loginDelayMs(attempt: number) {
  if (attempt <= LOGIN_FREE_FAILURES) return 0;
  return Math.min(250 * 2 ** (attempt - LOGIN_FREE_FAILURES), 2000);
}

// ── sign-up, codes, reset ──
export const signupAddressLimiter = new Limit("signup_address", 60, HOUR);
/** Messages (any purpose, e-mail or SMS) to one address or number. */
export const codeSendTargetLimiter = new Limit("code_send_target", 5, HOUR);
/** SMS costs money: per sending address, a class's worth per hour. */
export const smsSendAddressLimiter = new Limit("sms_send_address", 60, HOUR);
export const mailSendAddressLimiter = new Limit("mail_send_address", 120, HOUR);
/** Code guesses from one address (each ticket also allows only MAX_CODE_ATTEMPTS). */
export const codeCheckAddressLimiter = new Limit("code_check_address", 100, 15 * MINUTE);
export const passwordResetAddressLimiter = new Limit("reset_address", 30, HOUR);
/** Changing the password (the current one is checked): per account. */
export const passwordChangeAccountLimiter = new Limit("password_change_account", 10, 15 * MINUTE);

/** Invitation accept (app/routes/invite.$token.tsx): per address, before any token look-up or hashing. */
export const invitationAcceptLimiter = new Limit("invitation_accept", 30, 15 * MINUTE);

/** Consumes from each limiter in turn; stops at the first refusal. */
export async function consumeAll(pairs: [Limit, string][]): Promise<LimitResult> {
  let last: LimitResult = { ok: true, consumed: 0, remaining: Infinity };
  for (const [limit, key] of pairs) {
    last = await limit.consume(key);
    if (!last.ok) return last;
  }
  return last;
}
