import { describe, expect, it } from "vitest";
import {
  describeWhere,
  judgementFlagged,
  judgementMark,
  judgementState,
  measurementMark,
  nextCriterionCode,
  totals,
  validateScheme,
  type SchemeInput,
} from "~/domains/assessment/scheme";

const descriptors = ["Not acceptable", "Below industry standard", "Industry standard", "Excellent"];

/** A valid 100-mark scheme: 40 % measurement, 60 % judgement. */
function scheme(): SchemeInput {
  return {
    total: 100,
    tolerance: 0.5,
    sections: [
      {
        name: "Dimensions",
        weighting: 40,
        criteria: [
          {
            code: "A",
            name: "Plate dimensions",
            aspects: [
              { kind: "measurement", description: "Length within 0.5 mm", maxMark: 20, measurement: { mode: "bands", bands: [{ upTo: 0.5, fraction: 1 }, { upTo: 1, fraction: 0.5 }] } },
              { kind: "measurement", description: "Gap present", maxMark: 10, measurement: { mode: "binary" } },
              { kind: "measurement", description: "Surface defects", maxMark: 10, measurement: { mode: "deduction", perFault: 3 } },
            ],
          },
        ],
      },
      {
        name: "Visual inspection",
        weighting: 60,
        criteria: [{ code: "B", name: "Weld appearance", aspects: [{ kind: "judgement", description: "Bead uniformity", maxMark: 60, descriptors }] }],
      },
    ],
  };
}

describe("validateScheme", () => {
  it("accepts a scheme that adds up", () => {
    expect(validateScheme(scheme())).toEqual([]);
  });

  it("reports the total being off and by how much", () => {
    const s = scheme();
    s.sections[1].criteria[0].aspects[0].maxMark = 58;
    const issues = validateScheme(s);
    expect(issues).toContainEqual({ code: "totalMismatch", expected: 100, actual: 98, off: -2 });
    expect(issues).toContainEqual(expect.objectContaining({ code: "sectionMismatch", where: { section: 2, sectionName: "Visual inspection" }, expected: 60, actual: 58, off: -2 }));
  });

  it("allows a section to be off within the author's tolerance, not beyond", () => {
    const s = scheme();
    s.tolerance = 1;
    s.sections[0].weighting = 39.5;
    s.sections[1].weighting = 60.5;
    expect(validateScheme(s)).toEqual([]);
    s.tolerance = 0.25;
    const issues = validateScheme(s);
    expect(issues.filter((i) => i.code === "sectionMismatch")).toHaveLength(2);
    expect(issues[0]).toMatchObject({ where: { section: 1 }, expected: 39.5, actual: 40, off: 0.5 });
  });

  it("checks that weightings add up to 100 %", () => {
    const s = scheme();
    s.sections[1].weighting = 50;
    expect(validateScheme(s)).toContainEqual({ code: "weightingsMismatch", expected: 100, actual: 90, off: -10 });
  });

  it("requires all four judgement descriptors and names the aspect", () => {
    const s = scheme();
    s.sections[1].criteria[0].aspects[0].descriptors = ["a", "b", " ", "d"];
    const issues = validateScheme(s);
    expect(issues).toEqual([{ code: "descriptorsRequired", where: { section: 2, sectionName: "Visual inspection", criterion: "B", aspect: 1 } }]);
    expect(describeWhere(issues[0].where)).toBe("Section 2 (Visual inspection), criterion B, aspect 1");
    s.sections[1].criteria[0].aspects[0].descriptors = ["a", "b", "c"];
    expect(validateScheme(s)[0].code).toBe("descriptorsRequired");
  });

  it("rejects measurement aspects without a usable config", () => {
    const s = scheme();
    s.sections[0].criteria[0].aspects[0].measurement = { mode: "bands", bands: [{ upTo: 1, fraction: 0.5 }, { upTo: 0.5, fraction: 1 }] };
    s.sections[0].criteria[0].aspects[1].measurement = undefined;
    s.sections[0].criteria[0].aspects[2].measurement = { mode: "deduction", perFault: 0 };
    expect(validateScheme(s).map((i) => [i.code, i.where?.aspect])).toEqual([
      ["badBands", 1],
      ["measurementConfigMissing", 2],
      ["badDeduction", 3],
    ]);
  });

  it("rejects empty and duplicated structure", () => {
    expect(validateScheme({ total: 100, tolerance: 0, sections: [] })).toEqual([{ code: "noSections" }]);
    const s = scheme();
    s.sections[1].criteria.push({ code: "B", name: "Dup", aspects: [] });
    const codes = validateScheme(s).map((i) => i.code);
    expect(codes).toContain("duplicateCriterion");
    expect(codes).toContain("emptyCriterion");
  });

  it("rejects non-positive max marks and blank descriptions", () => {
    const s = scheme();
    s.sections[0].criteria[0].aspects[1].maxMark = 0;
    s.sections[0].criteria[0].aspects[1].description = "  ";
    const codes = validateScheme(s).map((i) => i.code);
    expect(codes).toContain("badMaxMark");
    expect(codes).toContain("missingDescription");
  });
});

describe("measurement marks", () => {
  it("all-or-nothing", () => {
    expect(measurementMark(10, { mode: "binary" }, { awarded: true })).toBe(10);
    expect(measurementMark(10, { mode: "binary" }, { awarded: false })).toBe(0);
    expect(measurementMark(10, { mode: "binary" }, {})).toBeNull();
  });
  it("tolerance bands: ≤0.5 full, ≤1 half, else 0, either side of nominal", () => {
    const bands = { mode: "bands" as const, bands: [{ upTo: 0.5, fraction: 1 }, { upTo: 1, fraction: 0.5 }] };
    expect(measurementMark(20, bands, { measured: 0.5 })).toBe(20);
    expect(measurementMark(20, bands, { measured: -0.7 })).toBe(10);
    expect(measurementMark(20, bands, { measured: 1 })).toBe(10);
    expect(measurementMark(20, bands, { measured: 1.01 })).toBe(0);
    expect(measurementMark(20, bands, {})).toBeNull();
  });
  it("deductions per fault, never below 0", () => {
    const d = { mode: "deduction" as const, perFault: 3 };
    expect(measurementMark(10, d, { faults: 0 })).toBe(10);
    expect(measurementMark(10, d, { faults: 2 })).toBe(4);
    expect(measurementMark(10, d, { faults: 5 })).toBe(0);
    expect(measurementMark(10, d, { faults: -1 })).toBeNull();
    expect(measurementMark(10, d, { faults: 1.5 })).toBeNull();
  });
});

describe("judgement marks", () => {
  it("max × mean / 3 with at least three markers", () => {
    expect(judgementMark(6, [2, 2, 3])).toBe(4.67);
    expect(judgementMark(6, [3, 3, 3])).toBe(6);
    expect(judgementMark(6, [3, 3])).toBeNull();
    expect(judgementMark(6, [3, 3, 4])).toBeNull();
  });
  it("flags a spread of more than 1", () => {
    expect(judgementFlagged([1, 2, 2])).toBe(false);
    expect(judgementFlagged([1, 2, 3])).toBe(true);
  });
  it("a flagged round blocks finalising; a re-score round clears it and the first round is kept", () => {
    const round1 = [
      { markerId: "a", round: 1, score: 1 },
      { markerId: "b", round: 1, score: 3 },
      { markerId: "c", round: 1, score: 2 },
    ];
    expect(judgementState(3, round1)).toEqual({ status: "flagged", mark: null, round: 1, flagged: true });
    const round2 = [...round1, { markerId: "a", round: 2, score: 2 }, { markerId: "b", round: 2, score: 2 }];
    expect(judgementState(3, round2).status).toBe("open");
    const done = [...round2, { markerId: "c", round: 2, score: 3 }];
    expect(judgementState(3, done)).toEqual({ status: "ready", mark: 2.33, round: 2, flagged: false });
    expect(done.filter((e) => e.round === 1)).toHaveLength(3);
  });
});

describe("totals", () => {
  it("sums per criterion and overall; incomplete while any aspect is open or flagged", () => {
    const t = totals([
      { id: "1", criterion: "A", maxMark: 20, mark: 10 },
      { id: "2", criterion: "A", maxMark: 10, mark: 10 },
      { id: "3", criterion: "B", maxMark: 70, mark: 46.67 },
    ].map((a) => ({ ...a, flagged: false })));
    expect(t).toMatchObject({ total: 66.67, max: 100, complete: true, criteria: [{ criterion: "A", max: 30, mark: 20 }, { criterion: "B", max: 70, mark: 46.67 }] });
    expect(totals([{ id: "1", criterion: "A", maxMark: 5, mark: null, flagged: true }]).complete).toBe(false);
  });
  it("criterion letters continue after the last one", () => {
    expect(nextCriterionCode([])).toBe("A");
    expect(nextCriterionCode(["A", "C"])).toBe("D");
    expect(nextCriterionCode(["Z"])).toBe("AA");
  });
});

describe("demo data", () => {
  it("the plate butt weld scheme adds up", async () => {
    const { PLATE_BUTT_WELD } = await import("~/domains/assessment/seed.server");
    expect(validateScheme(PLATE_BUTT_WELD)).toEqual([]);
  });
});
