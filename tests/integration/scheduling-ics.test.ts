// iCalendar output checked with a real parser (ical.js): the per-session file and the
// per-user feed behind a revocable secret token.
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { bookForSelf, cancelBooking } from "~/domains/scheduling/booking.server";
import { activeCalendarToken, feedForToken, issueCalendarToken, revokeCalendarTokens, sessionIcs } from "~/domains/scheduling/feed.server";
import { buildCalendar, foldLine } from "~/domains/scheduling/ics";

process.env.MAIL_OUTBOX_DIR = "/tmp/skillrelay-ics-outbox";

function parse(text: string) {
  const comp = new ICAL.Component(ICAL.parse(text));
  return { comp, events: comp.getAllSubcomponents("vevent").map((v) => ({ v, e: new ICAL.Event(v) })) };
}

function checkWireFormat(text: string) {
  expect(text.endsWith("\r\n")).toBe(true);
  const lines = text.split("\r\n").slice(0, -1);
  for (const line of lines) {
    expect(line).not.toMatch(/[\r\n]/);
    expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
  }
  return lines;
}

describe("the iCalendar writer", () => {
  it("writes a valid calendar with escaped, folded text that parses back exactly", () => {
    const title = "焊接工艺 1:1 辅导, 第二节; 坡口\\打磨 — TIG welding of thin stainless sheet, second session with practical task review";
    const text = buildCalendar({
      name: "SkillRelay · 王师傅",
      now: new Date("2026-12-01T00:00:00Z"),
      events: [
        {
          uid: "session-abc@skillrelay",
          start: new Date("2026-12-07T02:00:00Z"),
          end: new Date("2026-12-07T03:00:00Z"),
          summary: title,
          description: "Line one\nLine two, with a comma",
          url: "http://localhost:3000/sessions/abc",
          status: "CONFIRMED",
          organizer: { name: 'Wang "Jun"', email: "expert@skillrelay.test" },
          alarmMinutes: 15,
        },
      ],
    });
    const lines = checkWireFormat(text);
    expect(lines.some((l) => l.startsWith(" "))).toBe(true); // something was folded
    expect(lines[0]).toBe("BEGIN:VCALENDAR");

    const { comp, events } = parse(text);
    expect(comp.getFirstPropertyValue("version")).toBe("2.0");
    expect(comp.getFirstPropertyValue("prodid")).toMatch(/SkillRelay/);
    expect(events).toHaveLength(1);
    const { e, v } = events[0];
    expect(e.summary).toBe(title);
    expect(e.description).toBe("Line one\nLine two, with a comma");
    expect(e.uid).toBe("session-abc@skillrelay");
    expect(e.startDate.toJSDate().toISOString()).toBe("2026-12-07T02:00:00.000Z");
    expect(e.endDate.toJSDate().toISOString()).toBe("2026-12-07T03:00:00.000Z");
    expect(e.startDate.zone?.tzid).toBe("UTC");
    expect(v.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(v.getFirstPropertyValue("dtstamp")?.toString()).toBe("2026-12-01T00:00:00Z");
    expect(v.getFirstProperty("organizer")?.getParameter("cn")).toBe("Wang Jun");
    expect(v.getFirstSubcomponent("valarm")?.getFirstPropertyValue("trigger")?.toString()).toBe("-PT15M");
  });

  it("never splits a multi-byte character when folding", () => {
    const folded = foldLine(`SUMMARY:${"焊".repeat(60)}`);
    const parts = folded.split("\r\n");
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(Buffer.byteLength(p, "utf8")).toBeLessThanOrEqual(75);
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join("")).toBe(`SUMMARY:${"焊".repeat(60)}`);
  });
});

describe("session files and the calendar feed", () => {
  const NOW = new Date("2027-01-04T00:00:00Z");

  async function setup() {
    const host = await prisma.user.create({ data: { name: "王师傅 Wang", email: `host${Date.now()}@ics.test`, role: "expert", passwordHash: "x" } });
    const learner = await prisma.user.create({ data: { name: "Li", email: `li${Date.now()}@ics.test`, passwordHash: "x", locale: "en" } });
    await prisma.expertProfile.create({
      data: { userId: host.id, minNoticeMinutes: 0, rules: { create: [1, 2, 3].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })) } },
    });
    const type = await prisma.sessionType.create({ data: { expertId: host.id, title: "CNC 1:1", kind: "one_to_one", durationMinutes: 45 } });
    return { host, learner, type };
  }

  it("a booking's .ics has its session at the right UTC time", async () => {
    const { learner, type } = await setup();
    const { sessionId } = await bookForSelf(learner, { kind: "slot", sessionTypeId: type.id, startsAt: new Date("2027-01-05T02:00:00Z") }, NOW);
    const s = await prisma.liveSession.findUniqueOrThrow({ where: { id: sessionId }, include: { host: true } });
    const text = sessionIcs(s);
    checkWireFormat(text);
    const [{ e, v }] = parse(text).events;
    expect(e.summary).toBe("CNC 1:1 · 王师傅 Wang");
    expect(e.startDate.toJSDate().toISOString()).toBe("2027-01-05T02:00:00.000Z");
    expect(e.endDate.toJSDate().toISOString()).toBe("2027-01-05T02:45:00.000Z");
    expect(v.getFirstPropertyValue("url")).toMatch(new RegExp(`/sessions/${sessionId}$`));
  });

  it("the feed lists hosted and booked sessions, marks cancelled ones, and dies with its token", async () => {
    const { host, learner, type } = await setup();
    const kept = await bookForSelf(learner, { kind: "slot", sessionTypeId: type.id, startsAt: new Date("2027-01-05T02:00:00Z") }, NOW);
    const dropped = await bookForSelf(learner, { kind: "slot", sessionTypeId: type.id, startsAt: new Date("2027-01-06T02:00:00Z") }, NOW);
    await cancelBooking(learner, dropped.bookingId, NOW);

    expect(await activeCalendarToken(learner.id)).toBeNull();
    const { token } = await issueCalendarToken(learner.id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const feed = (await feedForToken(token, NOW))!;
    checkWireFormat(feed);
    const { comp, events } = parse(feed);
    expect(comp.getFirstPropertyValue("x-wr-calname")).toBe("SkillRelay · Li");
    const byUid = new Map(events.map(({ e, v }) => [e.uid, v.getFirstPropertyValue("status")]));
    expect(byUid.get(`session-${kept.sessionId}@skillrelay`)).toBe("CONFIRMED");
    expect(byUid.get(`session-${dropped.sessionId}@skillrelay`)).toBe("CANCELLED");

    const hostToken = (await issueCalendarToken(host.id)).token;
    const hostFeed = parse((await feedForToken(hostToken, NOW))!);
    expect(hostFeed.events.map(({ e }) => e.uid)).toContain(`session-${kept.sessionId}@skillrelay`);

    // Re-issuing revokes the old URL; revoking kills the new one.
    const second = await issueCalendarToken(learner.id);
    expect(await feedForToken(token, NOW)).toBeNull();
    expect(await feedForToken(second.token, NOW)).not.toBeNull();
    await revokeCalendarTokens(learner.id);
    expect(await feedForToken(second.token, NOW)).toBeNull();
    expect(await activeCalendarToken(learner.id)).toBeNull();
    expect(await feedForToken("not a token", NOW)).toBeNull();
  });
});
