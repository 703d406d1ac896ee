// Who gets demo data, and which admin passwords admin:create refuses.
import { describe, expect, it } from "vitest";
import { demoDataWanted } from "../../server/demo-data";
import { adminPasswordProblem } from "../../scripts/admin-create";

describe("demo data rule", () => {
  it("embedded database and NODE_ENV not set to production (npm start): demo data", () => {
    expect(demoDataWanted({ embedded: true, nodeEnv: undefined, env: {} })).toBe(true);
    expect(demoDataWanted({ embedded: true, nodeEnv: "development", env: {} })).toBe(true);
  });
  it("NODE_ENV=production given, or an external DATABASE_URL: none", () => {
    expect(demoDataWanted({ embedded: true, nodeEnv: "production", env: {} })).toBe(false);
    expect(demoDataWanted({ embedded: false, nodeEnv: undefined, env: {} })).toBe(false);
    expect(demoDataWanted({ embedded: false, nodeEnv: "production", env: {} })).toBe(false);
  });
  it("SKILLRELAY_DEMO_DATA decides when set", () => {
    expect(demoDataWanted({ embedded: false, nodeEnv: "production", env: { SKILLRELAY_DEMO_DATA: "1" } })).toBe(true);
    expect(demoDataWanted({ embedded: true, nodeEnv: undefined, env: { SKILLRELAY_DEMO_DATA: "0" } })).toBe(false);
  });
});

describe("admin:create password rule", () => {
  it.each([
    ["short", /at least 12/],
    ["aaaaaaaaaaaaaaaa", /too few different/],
    ["skillrelay-demo", /demo password/],
    ["password123456", /common words/],
    ["Admin2024!Admin2024!", /common words/],
    ["xx-ops-admin-xx-1", /e-mail/],
  ])("refuses %s", (password, why) => {
    expect(adminPasswordProblem(password, "ops-admin@example.cn")).toMatch(why);
  });
  it("accepts a passphrase", () => {
    expect(adminPasswordProblem("tall-ladder-77-orchard", "ops@example.cn")).toBeUndefined();
  });
});
