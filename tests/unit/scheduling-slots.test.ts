import { describe, expect, it } from "vitest";
import { generateSlots, isSlotFree, mergeWindows, windowsForDate, type Availability, type Busy } from "~/domains/scheduling/slots";
import { addDays, canonicalTimeZone, offsetMinutes, parseClock, weekdayOf, zonedParts, zonedTimeToUtc } from "~/domains/scheduling/tz";

const H = 60;
const iso = (d: Date) => d.toISOString();
const Z = (s: string) => new Date(s);

function availability(timeZone: string, rules: Availability["rules"], extra: Partial<Availability> = {}): Availability {
  return { timeZone, bufferMinutes: 0, minNoticeMinutes: 0, maxSessionsPerDay: 0, rules, overrides: [], ...extra };
}

/** Slot starts on one local date of the zone, as ISO strings. */
function slotsOn(av: Availability, date: string, duration: number, opts: { now?: Date; busy?: Busy[]; step?: number } = {}) {
  const from = zonedTimeToUtc(date, 0, av.timeZone);
  const to = zonedTimeToUtc(addDays(date, 1), 0, av.timeZone);
  return generateSlots(av, {
    durationMinutes: duration,
    from,
    to,
    now: opts.now ?? new Date(from.getTime() - 86_400_000),
    busy: opts.busy ?? [],
    stepMinutes: opts.step,
  }).map((s) => iso(s.start));
}

describe("time-zone arithmetic (Intl)", () => {
  it("knows Beijing time and Xinjiang time apart", () => {
    const instant = Z("2026-12-07T03:00:00Z");
    expect(offsetMinutes(instant, "Asia/Shanghai")).toBe(8 * H);
    expect(offsetMinutes(instant, "Asia/Urumqi")).toBe(6 * H);
    expect(zonedParts(instant, "Asia/Shanghai")).toEqual({ date: "2026-12-07", minute: 11 * H, weekday: 1 });
    expect(zonedParts(instant, "Asia/Urumqi")).toEqual({ date: "2026-12-07", minute: 9 * H, weekday: 1 });
  });

  it("converts wall-clock times to instants on both sides of DST", () => {
    expect(iso(zonedTimeToUtc("2026-10-30", 9 * H, "America/New_York"))).toBe("2026-10-30T13:00:00.000Z");
    expect(iso(zonedTimeToUtc("2026-11-02", 9 * H, "America/New_York"))).toBe("2026-11-02T14:00:00.000Z");
    expect(iso(zonedTimeToUtc("2027-03-27", 9 * H, "Europe/Berlin"))).toBe("2027-03-27T08:00:00.000Z");
    expect(iso(zonedTimeToUtc("2027-03-29", 9 * H, "Europe/Berlin"))).toBe("2027-03-29T07:00:00.000Z");
    // Skipped hour (02:30 does not exist on 14 March 2027 in New York) → 03:30 EDT.
    expect(iso(zonedTimeToUtc("2027-03-14", 2 * H + 30, "America/New_York"))).toBe("2027-03-14T07:30:00.000Z");
    // Repeated hour (01:30 happens twice on 1 November 2026) → the first, EDT.
    expect(iso(zonedTimeToUtc("2026-11-01", 1 * H + 30, "America/New_York"))).toBe("2026-11-01T05:30:00.000Z");
    // 1440 is the next midnight.
    expect(iso(zonedTimeToUtc("2026-12-07", 24 * H, "Asia/Shanghai"))).toBe("2026-12-07T16:00:00.000Z");
  });

  it("validates zone names and clock strings", () => {
    expect(canonicalTimeZone("asia/urumqi")).toBe("Asia/Urumqi");
    expect(canonicalTimeZone("Mars/Olympus")).toBeNull();
    expect(canonicalTimeZone("")).toBeNull();
    expect(parseClock("09:30")).toBe(570);
    expect(parseClock("24:00")).toBe(1440);
    expect(parseClock("24:30")).toBeNull();
    expect(parseClock("9:60")).toBeNull();
    expect(weekdayOf("2026-12-07")).toBe(1);
  });
});

describe("slot generation across zones", () => {
  const monday = "2026-12-07";
  const rule = [{ weekday: 1, startMinute: 9 * H, endMinute: 12 * H }];

  it("steps through a Beijing-time window in half hours", () => {
    expect(slotsOn(availability("Asia/Shanghai", rule), monday, 60)).toEqual([
      "2026-12-07T01:00:00.000Z",
      "2026-12-07T01:30:00.000Z",
      "2026-12-07T02:00:00.000Z",
      "2026-12-07T02:30:00.000Z",
      "2026-12-07T03:00:00.000Z",
    ]);
  });

  it("puts the same wall-clock window of an expert on Xinjiang time (UTC+6) two hours later", () => {
    const slots = slotsOn(availability("Asia/Urumqi", rule), monday, 30, { step: 30 });
    expect(slots[0]).toBe("2026-12-07T03:00:00.000Z");
    expect(slots.at(-1)).toBe("2026-12-07T05:30:00.000Z");
    expect(slots).toHaveLength(6);
    // A learner on Beijing time sees 11:00 for the first one.
    expect(zonedParts(Z(slots[0]), "Asia/Shanghai").minute).toBe(11 * H);
  });

  it("keeps 45-minute sessions inside the window", () => {
    const slots = slotsOn(availability("Asia/Shanghai", rule), monday, 45);
    expect(slots.at(-1)).toBe("2026-12-07T03:00:00.000Z"); // 11:00–11:45; 11:30 would overrun
    expect(slots).toHaveLength(5);
  });

  it("follows Europe/Berlin across the spring-forward change", () => {
    const av = availability("Europe/Berlin", [
      { weekday: 6, startMinute: 9 * H, endMinute: 10 * H },
      { weekday: 0, startMinute: 1 * H, endMinute: 5 * H },
      { weekday: 1, startMinute: 9 * H, endMinute: 10 * H },
    ]);
    expect(slotsOn(av, "2027-03-27", 60)).toEqual(["2027-03-27T08:00:00.000Z"]); // 09:00 CET
    expect(slotsOn(av, "2027-03-29", 60)).toEqual(["2027-03-29T07:00:00.000Z"]); // 09:00 CEST
    // 01:00–05:00 on the night 02:00 is skipped lasts three real hours.
    const night = slotsOn(av, "2027-03-28", 60, { step: 60 });
    expect(night).toEqual(["2027-03-28T00:00:00.000Z", "2027-03-28T01:00:00.000Z", "2027-03-28T02:00:00.000Z"]);
    expect(night.map((s) => zonedParts(Z(s), "Europe/Berlin").minute / H)).toEqual([1, 3, 4]);
  });

  it("follows Europe/Berlin across the fall-back change (the repeated hour is bookable twice)", () => {
    const av = availability("Europe/Berlin", [{ weekday: 0, startMinute: 1 * H, endMinute: 4 * H }]);
    const night = slotsOn(av, "2026-10-25", 60, { step: 60 });
    expect(night).toEqual([
      "2026-10-24T23:00:00.000Z", // 01:00 CEST
      "2026-10-25T00:00:00.000Z", // 02:00 CEST
      "2026-10-25T01:00:00.000Z", // 02:00 CET
      "2026-10-25T02:00:00.000Z", // 03:00 CET
    ]);
  });

  it("follows America/New_York across both changes", () => {
    const av = availability("America/New_York", [
      { weekday: 5, startMinute: 9 * H, endMinute: 10 * H },
      { weekday: 1, startMinute: 9 * H, endMinute: 10 * H },
      { weekday: 0, startMinute: 2 * H + 30, endMinute: 4 * H },
    ]);
    expect(slotsOn(av, "2026-10-30", 60)).toEqual(["2026-10-30T13:00:00.000Z"]);
    expect(slotsOn(av, "2026-11-02", 60)).toEqual(["2026-11-02T14:00:00.000Z"]);
    // A window that starts inside the skipped hour opens at 03:30 EDT: 30 real minutes.
    expect(slotsOn(av, "2027-03-14", 30)).toEqual(["2027-03-14T07:30:00.000Z"]);
  });

  it("offers a Beijing-time expert's slots to a New York learner on the right (previous) local day", () => {
    const av = availability("Asia/Shanghai", [{ weekday: 1, startMinute: 9 * H, endMinute: 10 * H }]);
    const [slot] = slotsOn(av, monday, 60);
    expect(zonedParts(Z(slot), "America/New_York")).toEqual({ date: "2026-12-06", minute: 20 * H, weekday: 0 });
  });
});

describe("overrides, buffers, notice and limits", () => {
  const monday = "2026-12-07";
  const base = () => availability("Asia/Shanghai", [{ weekday: 1, startMinute: 9 * H, endMinute: 11 * H }]);

  it("a day off removes the weekly hours; an extra window adds hours, also on a day without any", () => {
    const off = { ...base(), overrides: [{ date: monday, kind: "off" as const, startMinute: null, endMinute: null }] };
    expect(slotsOn(off, monday, 60)).toEqual([]);
    expect(slotsOn(off, "2026-12-14", 60)).toHaveLength(3); // only that date

    const tuesday = "2026-12-08";
    const extra = { ...base(), overrides: [{ date: tuesday, kind: "extra" as const, startMinute: 14 * H, endMinute: 15 * H }] };
    expect(slotsOn(extra, tuesday, 60)).toEqual(["2026-12-08T06:00:00.000Z"]);

    // Off + extra on one date replaces that day's hours.
    const replaced = {
      ...base(),
      overrides: [
        { date: monday, kind: "off" as const, startMinute: null, endMinute: null },
        { date: monday, kind: "extra" as const, startMinute: 19 * H, endMinute: 20 * H },
      ],
    };
    expect(slotsOn(replaced, monday, 60)).toEqual(["2026-12-07T11:00:00.000Z"]);
    expect(windowsForDate(replaced, monday)).toEqual([{ startMinute: 19 * H, endMinute: 20 * H }]);
  });

  it("merges overlapping windows so no slot appears twice", () => {
    expect(mergeWindows([{ startMinute: 600, endMinute: 700 }, { startMinute: 540, endMinute: 620 }, { startMinute: 700, endMinute: 720 }])).toEqual([
      { startMinute: 540, endMinute: 720 },
    ]);
    const av = availability("Asia/Shanghai", [
      { weekday: 1, startMinute: 9 * H, endMinute: 10 * H },
      { weekday: 1, startMinute: 9 * H + 30, endMinute: 10 * H },
    ]);
    expect(slotsOn(av, monday, 30)).toEqual(["2026-12-07T01:00:00.000Z", "2026-12-07T01:30:00.000Z"]);
  });

  it("keeps the buffer free before and after every existing session", () => {
    const av = { ...availability("Asia/Shanghai", [{ weekday: 1, startMinute: 8 * H, endMinute: 13 * H }]), bufferMinutes: 15 };
    const busy = [{ startsAt: Z("2026-12-07T02:00:00Z"), endsAt: Z("2026-12-07T03:00:00Z") }]; // 10:00–11:00 local
    const local = (list: string[]) => list.map((s) => zonedParts(Z(s), "Asia/Shanghai").minute / H);
    expect(local(slotsOn(av, monday, 60, { busy }))).toEqual([8, 8.5, 11.5, 12]);
    expect(local(slotsOn({ ...av, bufferMinutes: 0 }, monday, 60, { busy }))).toEqual([8, 8.5, 9, 11, 11.5, 12]);
  });

  it("respects the minimum notice", () => {
    const av = { ...base(), minNoticeMinutes: 60 };
    const now = Z("2026-12-07T01:10:00Z"); // 09:10 local
    expect(slotsOn(av, monday, 30, { now })).toEqual(["2026-12-07T02:30:00.000Z"]); // 10:30 (10:10 is too soon)
    expect(slotsOn({ ...av, minNoticeMinutes: 0 }, monday, 30, { now })).toEqual([
      "2026-12-07T01:30:00.000Z",
      "2026-12-07T02:00:00.000Z",
      "2026-12-07T02:30:00.000Z",
    ]);
  });

  it("closes a day that already has the maximum number of sessions", () => {
    const av = { ...availability("Asia/Shanghai", [{ weekday: 1, startMinute: 8 * H, endMinute: 18 * H }, { weekday: 2, startMinute: 8 * H, endMinute: 9 * H }]), maxSessionsPerDay: 2 };
    const busy = [
      { startsAt: Z("2026-12-07T00:00:00Z"), endsAt: Z("2026-12-07T01:00:00Z") },
      { startsAt: Z("2026-12-07T05:00:00Z"), endsAt: Z("2026-12-07T06:00:00Z") },
    ];
    expect(slotsOn(av, monday, 60, { busy })).toEqual([]);
    expect(slotsOn({ ...av, maxSessionsPerDay: 3 }, monday, 60, { busy }).length).toBeGreaterThan(0);
    expect(slotsOn(av, "2026-12-08", 60, { busy })).toEqual(["2026-12-08T00:00:00.000Z"]);
  });

  it("offers nothing in the past or beyond the booking horizon", () => {
    const av = base();
    expect(slotsOn(av, monday, 60, { now: Z("2026-12-08T00:00:00Z") })).toEqual([]);
    expect(slotsOn(av, monday, 60, { now: Z("2026-06-01T00:00:00Z") })).toEqual([]);
  });

  it("checks a single start the way the booking transaction does", () => {
    const av = base();
    const q = { durationMinutes: 60, now: Z("2026-12-01T00:00:00Z"), busy: [] };
    expect(isSlotFree(av, q, Z("2026-12-07T01:00:00Z"))).toBe(true);
    expect(isSlotFree(av, q, Z("2026-12-07T01:10:00Z"))).toBe(false); // not on the grid
    expect(isSlotFree(av, q, Z("2026-12-07T02:30:00Z"))).toBe(false); // would overrun 11:00
    expect(isSlotFree(av, { ...q, busy: [{ startsAt: Z("2026-12-07T01:30:00Z"), endsAt: Z("2026-12-07T02:00:00Z") }] }, Z("2026-12-07T01:00:00Z"))).toBe(false);
  });
});
