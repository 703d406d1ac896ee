/**
 * Token buckets per (person, request kind): `burst` tokens, refilled continuously at
 * `perSecond`. Kept by the live service, keyed by user id, so a person's five sockets share
 * one budget. Idle, full buckets are pruned.
 */
export interface BucketRule {
  burst: number;
  perSecond: number;
}

interface Bucket {
  tokens: number;
  at: number;
  rule: BucketRule;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Takes one token of `key`; false = none left (refuse the request). */
  take(key: string, rule: BucketRule): boolean {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: rule.burst, at: now, rule };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(rule.burst, bucket.tokens + ((now - bucket.at) / 1000) * rule.perSecond);
      bucket.at = now;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Forgets buckets that have refilled completely (nothing to remember). */
  prune(): void {
    const now = this.now();
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * b.rule.perSecond >= b.rule.burst) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
