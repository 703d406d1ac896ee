import { describe, expect, it } from "vitest";
import {
  creditAssessments,
  creditLiveSeconds,
  creditTextLessons,
  creditVideoSeconds,
  dayOf,
  daysAttended,
  mergeSpans,
  secondsByDay,
  subsidyFor,
  toMinutes,
  formatYuan,
} from "~/domains/records/ledger";

// 2026-03-02 09:00 in Shanghai is 01:00 UTC.
const T0 = Date.UTC(2026, 2, 2, 1, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe("mergeSpans", () => {
  it("merges overlaps and touching spans, drops empty ones", () => {
    expect(mergeSpans([{ from: 10, to: 20 }, { from: 0, to: 5 }, { from: 15, to: 30 }, { from: 30, to: 31 }, { from: 40, to: 40 }])).toEqual([
      { from: 0, to: 5 },
      { from: 10, to: 31 },
    ]);
  });
});

describe("video ranges", () => {
  it("credits played ranges once, overlaps merged", () => {
    const reports = [
      { from: 0, to: 0, receivedAt: s(0) },
      { from: 0, to: 30, receivedAt: s(30) },
      { from: 20, to: 60, receivedAt: s(70) }, // rewound 10 s: 20–30 again
      { from: 20, to: 60, receivedAt: s(200) }, // the same range re-sent
    ];
    expect(total(creditVideoSeconds(reports, 600))).toBe(60);
  });

  it("is capped by the video's length", () => {
    const reports = [
      { from: 0, to: 0, receivedAt: s(0) },
      { from: 50, to: 90, receivedAt: s(100) },
    ];
    expect(total(creditVideoSeconds(reports, 60))).toBe(10);
  });

  it("never credits more than the wall-clock time between first and last report", () => {
    const reports = [
      { from: 0, to: 0, receivedAt: s(0) },
      { from: 0, to: 300, receivedAt: s(20) },
    ];
    expect(total(creditVideoSeconds(reports, 600))).toBe(20);
  });

  it("a jump to the end credits nothing", () => {
    expect(total(creditVideoSeconds([{ from: 0, to: 600, receivedAt: s(5) }], 600))).toBe(0);
    expect(total(creditVideoSeconds([{ from: 0, to: 0, receivedAt: s(0) }, { from: 600, to: 600, receivedAt: s(1) }], 600))).toBe(0);
  });

  it("two reports at the same instant credit nothing the second time", () => {
    const reports = [
      { from: 0, to: 0, receivedAt: s(0) },
      { from: 0, to: 10, receivedAt: s(10) },
      { from: 10, to: 100, receivedAt: s(10) },
    ];
    expect(total(creditVideoSeconds(reports, 600))).toBe(10);
  });

  it("credits each report on the Shanghai day it arrived", () => {
    // 23:59:00 Shanghai on 2 March = 15:59 UTC.
    const late = Date.UTC(2026, 2, 2, 15, 59, 0);
    const reports = [
      { from: 0, to: 0, receivedAt: late },
      { from: 0, to: 50, receivedAt: late + 50_000 },
      { from: 50, to: 120, receivedAt: late + 120_000 },
    ];
    const perDay = creditVideoSeconds(reports, 600);
    expect(perDay.get("2026-03-02")).toBe(50);
    expect(perDay.get("2026-03-03")).toBe(70);
  });
});

describe("text lessons", () => {
  it("credits fixed minutes at most once per lesson, on the first completion", () => {
    const out = creditTextLessons(
      [
        { lessonId: "a", completedAt: s(3600) },
        { lessonId: "a", completedAt: s(0) },
        { lessonId: "b", completedAt: s(60) },
      ],
      15,
    );
    expect(out).toHaveLength(2);
    expect(out.reduce((sum, l) => sum + l.minutes, 0)).toBe(30);
    expect(out.find((l) => l.lessonId === "a")?.day).toBe("2026-03-02");
  });
  it("zero minutes credits nothing", () => {
    expect(creditTextLessons([{ lessonId: "a", completedAt: s(0) }], 0)).toEqual([]);
  });
});

describe("assessments", () => {
  const tasks = new Map([
    ["weld", { minutes: 120, dueAt: s(7200) }],
    ["open", { minutes: 45, dueAt: null }],
    ["zero", { minutes: 0 }],
  ]);
  it("credits a task's duration once, on the day of the first hand-in in time", () => {
    const out = creditAssessments(
      [
        { lessonId: "weld", submittedAt: s(3600) },
        { lessonId: "weld", submittedAt: s(600) },
        { lessonId: "open", submittedAt: s(86_400 * 30) },
      ],
      tasks,
    );
    expect(out).toEqual([
      { lessonId: "weld", day: dayOf(+s(600)), minutes: 120 },
      { lessonId: "open", day: dayOf(+s(86_400 * 30)), minutes: 45 },
    ]);
  });
  it("a late hand-in, an unknown task or a zero duration credits nothing", () => {
    expect(creditAssessments([{ lessonId: "weld", submittedAt: s(7201) }], tasks)).toEqual([]);
    expect(creditAssessments([{ lessonId: "other", submittedAt: s(0) }], tasks)).toEqual([]);
    expect(creditAssessments([{ lessonId: "zero", submittedAt: s(0) }], tasks)).toEqual([]);
    // In time exactly at the deadline.
    expect(creditAssessments([{ lessonId: "weld", submittedAt: s(7200) }], tasks)).toHaveLength(1);
  });
});

describe("live attendance", () => {
  const window = { start: s(0), end: s(3600) };
  it("merges reconnects and overlapping tabs", () => {
    const rows = [
      { joinedAt: s(0), leftAt: s(600) },
      { joinedAt: s(300), leftAt: s(900) }, // a second tab
      { joinedAt: s(1200), leftAt: s(1800) }, // reconnected after a drop
    ];
    expect(total(creditLiveSeconds(rows, window))).toBe(900 + 600);
  });
  it("clips to the session's window", () => {
    const rows = [{ joinedAt: s(-1800), leftAt: s(600) }, { joinedAt: s(3000), leftAt: s(7200) }];
    expect(total(creditLiveSeconds(rows, window))).toBe(600 + 600);
  });
  it("an open row counts to its last heartbeat, or not at all", () => {
    expect(total(creditLiveSeconds([{ joinedAt: s(0), leftAt: null, lastSeenAt: s(120) }], window))).toBe(120);
    expect(total(creditLiveSeconds([{ joinedAt: s(0), leftAt: null }], window))).toBe(0);
  });
  it("splits at Shanghai midnight", () => {
    const start = Date.UTC(2026, 2, 2, 15, 30); // 23:30 Shanghai
    const perDay = secondsByDay([{ from: start, to: start + 3600_000 }]);
    expect(perDay.get("2026-03-02")).toBe(1800);
    expect(perDay.get("2026-03-03")).toBe(1800);
  });
});

describe("days attended", () => {
  it("uses the Shanghai calendar day", () => {
    expect(dayOf(Date.UTC(2026, 2, 2, 15, 59, 59))).toBe("2026-03-02");
    expect(dayOf(Date.UTC(2026, 2, 2, 16, 0, 0))).toBe("2026-03-03");
  });
  it("counts a day whose minutes reach the minimum, not one below it", () => {
    const minutes = new Map([
      ["2026-03-02", 120],
      ["2026-03-03", 119],
      ["2026-03-04", 121],
    ]);
    expect(daysAttended(minutes, 120)).toEqual(["2026-03-02", "2026-03-04"]);
  });
  it("seconds are rounded down to whole minutes per day", () => {
    expect(toMinutes(new Map([["d", 7199]])).get("d")).toBe(119);
    expect(toMinutes(new Map([["d", 7200]])).get("d")).toBe(120);
    expect(toMinutes(new Map([["d", 59]])).has("d")).toBe(false);
  });
  it("a minimum of 0 still needs some time", () => {
    expect(daysAttended({ a: 0, b: 1 }, 0)).toEqual(["b"]);
  });
});

describe("subsidies", () => {
  const rates = { subsidyPerLearner: 50000, subsidyPerHour: 1500, livingPerDay: 3000 };
  it("per learner, per full hour, living per day attended", () => {
    expect(subsidyFor(179, 3, rates)).toEqual({ perLearner: 50000, hours: 3000, living: 9000, total: 62000 });
  });
  it("nothing without credited time", () => {
    expect(subsidyFor(0, 0, rates).total).toBe(0);
  });
  it("formats fen as yuan", () => {
    expect(formatYuan(62000)).toBe("620.00");
    expect(formatYuan(5)).toBe("0.05");
  });
});

import { checkCharacter, identityFromIdNumber } from "~/domains/records/id-number";
describe("identity from an ID number", () => {
  it("reads birth date, gender and region", () => {
    const male = "11010519491231002";
    const id = male + checkCharacter(male);
    expect(identityFromIdNumber(id)).toEqual({ birthDate: "1949-12-31", gender: "female", regionCode: "110105" });
    const m = "11010519900101001";
    expect(identityFromIdNumber(m + checkCharacter(m))?.gender).toBe("male");
    expect(identityFromIdNumber("110105194912310021")).toBeNull();
  });
});
