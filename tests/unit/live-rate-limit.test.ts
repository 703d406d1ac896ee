import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../server/live/rate-limit.js";
import { rateLimits, REQUEST_NAMES } from "../../server/live/protocol.js";

describe("live rate limiter (token bucket per person and event)", () => {
  it("lets through the burst, then the refill rate, over 10 s of flooding", () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const rule = rateLimits["hand:set"];
    let accepted = 0;
    for (; now <= 10_000; now += 1) if (limiter.take("learner:hand:set", rule)) accepted++;
    // 2,758 updates in 10 s before; now the burst plus 10 s of refill.
    const most = rule.burst + Math.floor(10 * rule.perSecond);
    expect(accepted).toBeLessThanOrEqual(most);
    expect(accepted).toBeGreaterThanOrEqual(most - 1); // floating-point refill in 1 ms steps
  });

  it("keeps people and events apart, and forgets full buckets", () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const rule = { burst: 2, perSecond: 1 };
    expect([1, 2, 3].map(() => limiter.take("a:chat:send", rule))).toEqual([true, true, false]);
    expect(limiter.take("b:chat:send", rule)).toBe(true);
    expect(limiter.take("a:hand:set", rule)).toBe(true);
    now += 5_000;
    limiter.prune();
    expect(limiter.size).toBe(0);
    expect(limiter.take("a:chat:send", rule)).toBe(true);
  });

  it("has a rule for every request of the protocol", () => {
    for (const event of REQUEST_NAMES) {
      expect(rateLimits[event].burst, event).toBeGreaterThanOrEqual(1);
      expect(rateLimits[event].perSecond, event).toBeGreaterThan(0);
    }
  });
});
