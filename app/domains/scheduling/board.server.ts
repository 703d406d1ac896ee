// The "pick a time" board of the booking pages: an expert's free slots and open group
// sessions for one session type, grouped by the viewer's local days and labelled in the
// viewer's zone (formatted here, so server and browser render the same text).
import { prisma } from "~/domains/db.server";
import { openGroupSessions } from "./booking.server";
import { loadAvailability } from "./profile.server";
import { generateSlots } from "./slots";
import { formatCalendarDate, formatTime } from "~/utils/datetime";
import { addDays, todayIn, zonedParts, zonedTimeToUtc } from "./tz";

export interface BoardChoice {
  value: string;
  time: string;
  /** Group sessions: seats left of capacity. */
  seatsLeft?: number;
  capacity?: number;
  mine?: boolean;
}

export interface BoardDay {
  date: string;
  label: string;
  choices: BoardChoice[];
}

export const BOARD_DAYS = 7;

/** Clamps a requested first day (viewer-local YYYY-MM-DD) to today or later. */
export function boardStart(requested: string | null | undefined, viewerTz: string, now: Date = new Date()) {
  const today = todayIn(viewerTz, now);
  // A real calendar date after today and within a year; anything else (9999-99-99) is today.
  if (!requested || !/^\d{4}-\d{2}-\d{2}$/.test(requested) || requested <= today) return today;
  const date = new Date(`${requested}T00:00:00Z`);
  const limit = new Date(`${today}T00:00:00Z`).getTime() + 366 * 86_400_000;
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === requested && date.getTime() <= limit ? requested : today;
}

export async function slotBoard(input: {
  type: { id: string; expertId: string; kind: "one_to_one" | "group"; durationMinutes: number };
  viewerTz: string;
  locale: string;
  from: string;
  viewerId: string;
  /** Group sessions of this cohort are offered too (school booking); others never see cohort sessions. */
  cohortId?: string | null;
  now?: Date;
}): Promise<BoardDay[]> {
  const now = input.now ?? new Date();
  const fromUtc = zonedTimeToUtc(input.from, 0, input.viewerTz);
  const toUtc = zonedTimeToUtc(addDays(input.from, BOARD_DAYS), 0, input.viewerTz);
  const av = await loadAvailability(prisma, input.type.expertId);
  const days: BoardDay[] = Array.from({ length: BOARD_DAYS }, (_, i) => {
    const date = addDays(input.from, i);
    return { date, label: formatCalendarDate(date, input.locale), choices: [] };
  });
  if (!av) return days;
  const busy = await prisma.liveSession.findMany({
    where: {
      hostId: input.type.expertId,
      status: { not: "cancelled" },
      startsAt: { lt: new Date(toUtc.getTime() + 2 * 86_400_000) },
      endsAt: { gt: new Date(fromUtc.getTime() - 2 * 86_400_000) },
    },
    select: { startsAt: true, endsAt: true },
  });
  const entries: { start: Date; choice: BoardChoice }[] = generateSlots(av, {
    durationMinutes: input.type.durationMinutes,
    from: fromUtc,
    to: toUtc,
    now,
    busy,
  }).map((s) => ({ start: s.start, choice: { value: `slot:${s.start.toISOString()}`, time: formatTime(s.start, { locale: input.locale, timeZone: input.viewerTz }) } }));

  if (input.type.kind === "group") {
    for (const s of await openGroupSessions(input.type.id, fromUtc, toUtc, now, input.cohortId ?? null)) {
      const mine = s.learnerIds.includes(input.viewerId);
      if (s.seatsLeft === 0 && !mine) continue;
      entries.push({
        start: s.startsAt,
        choice: { value: `seat:${s.id}`, time: formatTime(s.startsAt, { locale: input.locale, timeZone: input.viewerTz }), seatsLeft: s.seatsLeft, capacity: s.capacity, mine },
      });
    }
  }
  entries.sort((a, b) => a.start.getTime() - b.start.getTime());
  for (const e of entries) {
    const day = days.find((d) => d.date === zonedParts(e.start, input.viewerTz).date);
    day?.choices.push(e.choice);
  }
  return days;
}
