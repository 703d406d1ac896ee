import { describe, expect, it } from "vitest";
import { computeStanding, median, ranks, standardDeviation, standardise } from "~/domains/assessment/standing";

describe("competition standing", () => {
  it("ranks ties together and skips the next rank (1, 1, 3)", () => {
    expect(ranks([90, 90, 80, 70, 70, 60])).toEqual([1, 1, 3, 4, 4, 6]);
  });

  it("standardises around the median with the standard deviation (the worked example of docs/assessment-scale.md)", () => {
    const raws = [82, 76, 70, 64, 58];
    expect(median(raws)).toBe(70);
    expect(standardDeviation(raws)).toBeCloseTo(Math.sqrt(72), 10);
    const s = computeStanding(raws.map((raw, i) => ({ id: `c${i}`, raw })));
    expect(s.map((r) => r.standardised)).toEqual([841, 771, 700, 629, 559]);
    expect(s.map((r) => r.medal)).toEqual(["gold", "silver", "bronze", null, null]);
  });

  it("gives everyone 700 when all scores are equal (sd 0), and all share gold", () => {
    const s = computeStanding([{ id: "a", raw: 50 }, { id: "b", raw: 50 }, { id: "c", raw: 50 }]);
    expect(s.map((r) => [r.rank, r.standardised, r.medal])).toEqual([
      [1, 700, "gold"],
      [1, 700, "gold"],
      [1, 700, "gold"],
    ]);
    expect(standardise(10, 10, 0)).toBe(700);
  });

  it("ties share a medal: two golds, then bronze, no silver", () => {
    const s = computeStanding([
      { id: "a", raw: 95 },
      { id: "b", raw: 95 },
      { id: "c", raw: 80 },
      { id: "d", raw: 79 },
      { id: "e", raw: 40 },
    ]);
    expect(s.map((r) => [r.id, r.rank, r.medal])).toEqual([
      ["a", 1, "gold"],
      ["b", 1, "gold"],
      ["c", 3, "bronze"],
      ["d", 4, null],
      ["e", 5, null],
    ]);
    expect(s[3].standardised).toBeLessThan(700); // 79 is below the median (80)
  });

  it("a tie on bronze gives two bronzes", () => {
    const s = computeStanding([
      { id: "a", raw: 100 },
      { id: "b", raw: 90 },
      { id: "c", raw: 80 },
      { id: "d", raw: 80 },
      { id: "e", raw: 70 },
    ]);
    expect(s.map((r) => [r.rank, r.medal])).toEqual([[1, "gold"], [2, "silver"], [3, "bronze"], [3, "bronze"], [5, null]]);
  });

  it("the medallion for excellence goes to those without a medal at 700 or above (the median itself counts)", () => {
    const s = computeStanding([100, 90, 85, 80, 80, 10, 5].map((raw, i) => ({ id: `c${i}`, raw })));
    expect(s.map((r) => [r.rank, r.standardised >= 700, r.medal])).toEqual([
      [1, true, "gold"],
      [2, true, "silver"],
      [3, true, "bronze"],
      [4, true, "excellence"],
      [4, true, "excellence"],
      [6, false, null],
      [7, false, null],
    ]);
    expect(s[3].standardised).toBe(700);
  });

  it("handles one competitor and an empty field, refuses NaN", () => {
    expect(computeStanding([{ id: "x", raw: 12 }])).toEqual([{ id: "x", raw: 12, rank: 1, standardised: 700, medal: "gold" }]);
    expect(computeStanding([])).toEqual([]);
    expect(() => computeStanding([{ id: "x", raw: Number.NaN }])).toThrow();
  });
});
