import { describe, expect, it } from "vitest";
import { competitionPhase, distribution, formatCountdown, handInRefusal, isBriefingUrl, releaseRefusal, removalRefusal, requiredMarkers, secondsUntil, splitCountdown } from "~/domains/assessment/competition";
import { competitionIntentSchema, competitionSchema, moduleRowsSchema } from "~/domains/assessment/validation";

const w = { startsAt: new Date("2031-03-04T02:00:00Z"), endsAt: new Date("2031-03-04T05:00:00Z") };
const at = (iso: string) => new Date(iso);

describe("competition window", () => {
  it("is upcoming before the start, open from the start, closed from the end (the end itself is late)", () => {
    expect(competitionPhase(w, at("2031-03-04T01:59:59.999Z"))).toBe("upcoming");
    expect(competitionPhase(w, at("2031-03-04T02:00:00Z"))).toBe("open");
    expect(competitionPhase(w, at("2031-03-04T04:59:59.999Z"))).toBe("open");
    expect(competitionPhase(w, at("2031-03-04T05:00:00Z"))).toBe("closed");
  });
  it("refuses early and late hand-ins with their own messages", () => {
    expect(handInRefusal(w, at("2031-03-04T01:00:00Z"))).toBe("competitions.errors.notStarted");
    expect(handInRefusal(w, at("2031-03-04T03:00:00Z"))).toBeNull();
    expect(handInRefusal(w, at("2031-03-04T05:00:01Z"))).toBe("competitions.errors.ended");
  });
});

describe("countdown", () => {
  it("counts whole seconds, never below zero", () => {
    expect(secondsUntil(at("2031-03-04T02:00:00Z"), at("2031-03-04T01:58:59.5Z"))).toBe(60);
    expect(secondsUntil(at("2031-03-04T02:00:00Z"), at("2031-03-04T02:00:01Z"))).toBe(0);
  });
  it("splits and formats days, hours, minutes, seconds", () => {
    expect(splitCountdown(2 * 86400 + 3 * 3600 + 4 * 60 + 5)).toEqual({ days: 2, hours: 3, minutes: 4, seconds: 5 });
    expect(formatCountdown(2 * 86400 + 3 * 3600 + 4 * 60 + 5, "天")).toBe("2 天 03:04:05");
    expect(formatCountdown(59)).toBe("00:00:59");
    expect(formatCountdown(-5)).toBe("00:00:00");
  });
});

describe("markers and release", () => {
  const judged = { sections: [{ name: "S", weighting: 100, criteria: [{ code: "A", name: "A", aspects: [{ kind: "judgement" as const, description: "d", maxMark: 100, descriptors: ["a", "b", "c", "d"] }] }] }] };
  const measured = { sections: [{ name: "S", weighting: 100, criteria: [{ code: "A", name: "A", aspects: [{ kind: "measurement" as const, description: "d", maxMark: 100, measurement: { mode: "binary" as const } }] }] }] };
  it("needs three markers when any aspect is judged, one otherwise", () => {
    expect(requiredMarkers(judged)).toBe(3);
    expect(requiredMarkers(measured)).toBe(1);
  });
  const c = { releasedAt: null, releaseAt: at("2031-03-05T00:00:00Z"), endsAt: w.endsAt };
  const done = { handIns: 3, complete: 3, flagged: 0 };
  it("refuses before the end, twice, while flagged or unmarked; auto-release waits for its time", () => {
    expect(releaseRefusal(c, done, at("2031-03-04T04:00:00Z"))).toBe("competitions.errors.notEnded");
    expect(releaseRefusal({ ...c, releasedAt: at("2031-03-04T06:00:00Z") }, done, at("2031-03-04T07:00:00Z"))).toBe("competitions.errors.alreadyReleased");
    expect(releaseRefusal(c, { ...done, flagged: 1 }, at("2031-03-04T06:00:00Z"))).toBe("competitions.errors.flagged");
    expect(releaseRefusal(c, { ...done, complete: 2 }, at("2031-03-04T06:00:00Z"))).toBe("competitions.errors.notMarked");
    expect(releaseRefusal(c, done, at("2031-03-04T06:00:00Z"))).toBeNull();
    expect(releaseRefusal(c, done, at("2031-03-04T06:00:00Z"), true)).toBe("competitions.errors.notYet");
    expect(releaseRefusal(c, done, at("2031-03-05T00:00:00Z"), true)).toBeNull();
    expect(releaseRefusal({ ...c, releaseAt: null }, done, at("2031-03-06T00:00:00Z"), true)).toBe("competitions.errors.notYet");
  });
});

describe("distribution", () => {
  it("bands of a tenth of the maximum; the maximum falls in the last band", () => {
    const d = distribution([0, 9.99, 10, 55, 100, 100], 100);
    expect(d).toHaveLength(10);
    expect(d[0]).toEqual({ label: "0–10", value: 2 });
    expect(d[1].value).toBe(1);
    expect(d[5].value).toBe(1);
    expect(d[9]).toEqual({ label: "90–100", value: 2 });
  });
});

describe("competition form", () => {
  it("accepts a /live/ room or an https link for the briefing, nothing else", () => {
    expect(isBriefingUrl("")).toBe(true);
    expect(isBriefingUrl("/live/abc123")).toBe(true);
    expect(isBriefingUrl("https://meeting.example.cn/x")).toBe(true);
    expect(isBriefingUrl("http://meeting.example.cn/x")).toBe(false);
    expect(isBriefingUrl("javascript:alert(1)")).toBe(false);
    expect(isBriefingUrl("//evil.example")).toBe(false);
  });
  it("splits e-mail lists on lines, commas and Chinese punctuation, lower-cased and unique", () => {
    const f = competitionSchema.parse({ title: " T ", lessonId: "abc", startsAt: "2031-03-04T10:00", endsAt: "2031-03-04T13:00", participantEmails: "A@x.cn\nb@x.cn，a@x.cn；c@x.cn", markerEmails: "m@x.cn" });
    expect(f.participantEmails).toEqual(["a@x.cn", "b@x.cn", "c@x.cn"]);
    expect(f.title).toBe("T");
    expect(competitionSchema.safeParse({ title: "T", lessonId: "", startsAt: "2031-03-04T10:00", endsAt: "2031-03-04T13:00" }).error?.issues[0].message).toBe("competitions.errors.projectRequired");
    expect(competitionSchema.safeParse({ title: "T", lessonId: "abc", startsAt: "tomorrow", endsAt: "2031-03-04T13:00" }).error?.issues[0].message).toBe("competitions.errors.badDate");
  });
  it("module rows: blanks dropped, a title and 1–1440 minutes each", () => {
    expect(moduleRowsSchema.parse([{ title: " Weld ", minutes: "90" }, { title: "", minutes: "" }])).toEqual([{ title: "Weld", minutes: 90 }]);
    expect(moduleRowsSchema.safeParse([{ title: "Weld", minutes: "0" }]).error?.issues[0].message).toBe("competitions.errors.moduleMinutes");
    expect(moduleRowsSchema.safeParse([{ title: "", minutes: "30" }]).error?.issues[0].message).toBe("competitions.errors.moduleTitle");
  });
});

describe("removing a competitor (decision 034)", () => {
  const startsAt = new Date("2031-03-04T10:00:00Z");
  const endsAt = new Date("2031-03-04T12:00:00Z");
  const c = { startsAt, endsAt, releasedAt: null, cancelledAt: null };
  it("is allowed only before the start, never once cancelled or released", () => {
    expect(removalRefusal(c, new Date("2031-03-04T09:59:59Z"))).toBeNull();
    expect(removalRefusal(c, startsAt)).toBe("competitions.errors.removeStarted");
    expect(removalRefusal(c, new Date("2031-03-05T00:00:00Z"))).toBe("competitions.errors.removeStarted");
    expect(removalRefusal({ ...c, cancelledAt: new Date("2031-03-01T00:00:00Z") }, new Date("2031-03-02T00:00:00Z"))).toBe("competitions.errors.cancelled");
    expect(removalRefusal({ ...c, releasedAt: new Date("2031-03-05T00:00:00Z") }, new Date("2031-03-02T00:00:00Z"))).toBe("competitions.errors.alreadyReleased");
  });
  it("the page's button forms: release, or remove with a well-formed user id", () => {
    expect(competitionIntentSchema.safeParse({ intent: "release" }).success).toBe(true);
    expect(competitionIntentSchema.safeParse({ intent: "removeParticipant", userId: "cl0abc_12-x" }).success).toBe(true);
    for (const bad of [{ intent: "removeParticipant" }, { intent: "removeParticipant", userId: "a/b" }, { intent: "removeParticipant", userId: "x".repeat(41) }, { intent: "other" }, {}])
      expect(competitionIntentSchema.safeParse(bad).success).toBe(false);
  });
});
