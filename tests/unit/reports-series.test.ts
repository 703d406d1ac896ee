import { describe, expect, it } from "vitest";
import { bucketByMonth, byCounty, byPovertyCounty, byPriorityGroup, monthKeys, monthOf, type LearnerFigures } from "~/domains/reports/series";

const learner = (o: Partial<LearnerFigures>): LearnerFigures => ({ userId: "u", countyCode: null, priorityKeys: [], minutes: 0, completions: 0, certificates: 0, ...o });

describe("report months", () => {
  it("lists the months ending with the given one, across a year boundary", () => {
    expect(monthKeys("2027-02", 4)).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
    expect(monthKeys("2026-12", 1)).toEqual(["2026-12"]);
  });

  it("puts an instant in its month in China, not in UTC", () => {
    // 2026-11-30 17:30 UTC is 2026-12-01 01:30 in Shanghai.
    expect(monthOf(new Date("2026-11-30T17:30:00Z"))).toBe("2026-12");
    expect(monthOf(new Date("2026-11-30T15:59:00Z"))).toBe("2026-11");
  });

  it("counts and sums events into their months and leaves out the rest", () => {
    const rows = bucketByMonth(["2026-11", "2026-12"], {
      newLearners: [{ month: "2026-11" }, { month: "2026-12" }, { month: "2026-12" }, { month: "2026-10" }],
      hours: [{ month: "2026-12", value: 1.25 }, { month: "2026-12", value: 0.5 }],
    });
    expect(rows).toEqual([
      { month: "2026-11", newLearners: 1, hours: 0, completions: 0, certificates: 0, liveSessions: 0 },
      { month: "2026-12", newLearners: 2, hours: 1.8, completions: 0, certificates: 0, liveSessions: 0 },
    ]);
  });
});

describe("report groups", () => {
  const people = [
    learner({ userId: "a", countyCode: "513431", priorityKeys: ["poor_household"], minutes: 90, completions: 1, certificates: 1 }),
    learner({ userId: "b", countyCode: "513431", priorityKeys: ["poor_household", "epidemic_family"], minutes: 30 }),
    learner({ userId: "c", countyCode: "110101", minutes: 60, completions: 2 }),
    learner({ userId: "d" }),
  ];

  it("folds learners into counties, biggest first, the unknown county under an empty key", () => {
    expect(byCounty(people)).toEqual([
      { key: "513431", learners: 2, hours: 2, completions: 1, certificates: 1 },
      { key: "", learners: 1, hours: 0, completions: 0, certificates: 0 },
      { key: "110101", learners: 1, hours: 1, completions: 2, certificates: 0 },
    ]);
  });

  it("counts a learner in each of their groups, in the list's order, those in none last", () => {
    const rows = byPriorityGroup(people, ["epidemic_family", "poor_household"]);
    expect(rows.map((r) => [r.key, r.learners, r.hours])).toEqual([
      ["epidemic_family", 1, 0.5],
      ["poor_household", 2, 2],
      ["", 2, 1],
    ]);
  });

  it("splits poverty counties from the others and the unrecorded", () => {
    expect(byPovertyCounty(people, new Set(["513431"])).map((r) => [r.key, r.learners])).toEqual([
      ["poverty", 2],
      ["other", 1],
      ["unknown", 1],
    ]);
  });
});
