import { describe, expect, it } from "vitest";
import { formatCalendarDate, formatDate, formatDateTime, formatRange, formatTime, offsetLabel, safeTimeZone } from "~/utils/datetime";

const at = new Date("2026-12-07T02:30:00Z");

describe("one date/time module: (instant, { locale, timeZone })", () => {
  it("formats in the given language and zone, 24-hour in both languages", () => {
    expect(formatDateTime(at, { locale: "en", timeZone: "Asia/Shanghai" })).toBe("Mon, Dec 7, 2026, 10:30");
    expect(formatDateTime(at, { locale: "en", timeZone: "America/New_York" })).toBe("Sun, Dec 6, 2026, 21:30");
    expect(formatDateTime(at, { locale: "zh-CN", timeZone: "Asia/Shanghai" })).toMatch(/^2026年12月7日.*10:30$/);
    expect(formatTime(at, { locale: "en", timeZone: "Asia/Kolkata" })).toBe("08:00");
    expect(formatDate(at, { locale: "en", timeZone: "UTC" })).toBe("Dec 7, 2026");
    expect(formatRange(at, at.getTime() + 3_600_000, { locale: "en", timeZone: "Asia/Dhaka" })).toBe("Mon, Dec 7, 2026, 08:30–09:30 (UTC+6)");
  });

  it("accepts ISO strings and numbers (loader data) as well as Dates", () => {
    const opts = { locale: "en", timeZone: "UTC" };
    expect(formatTime(at.toISOString(), opts)).toBe(formatTime(at, opts));
    expect(formatTime(at.getTime(), opts)).toBe("02:30");
  });

  it("falls back to the default zone for an unknown one instead of throwing", () => {
    expect(safeTimeZone("Mars/Olympus")).toBe("Asia/Shanghai");
    expect(formatTime(at, { locale: "en", timeZone: "Mars/Olympus" })).toBe("10:30");
    expect(offsetLabel("Asia/Kolkata", at)).toBe("UTC+5:30");
  });

  it("shows a zone-less calendar date as that day everywhere", () => {
    expect(formatCalendarDate("2026-12-07", "en")).toBe("Monday, December 7");
    expect(formatCalendarDate("2026-12-07", "en", false)).toBe("Mon, Dec 7");
  });
});
