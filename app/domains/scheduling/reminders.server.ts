// Reminders 24 h and 15 min before a session, sent once even across restarts and with
// several server processes.
//
// Jobs live in PostgreSQL (ReminderJob), not Redis: the database is always there (Redis is
// optional), a booking and its jobs commit in one transaction (no job without a booking, no
// booking without its jobs), and the unique key (session, user, kind) makes re-scheduling
// idempotent. A scheduler claims due jobs with one atomic UPDATE … WHERE "sentAt" IS NULL …
// FOR UPDATE SKIP LOCKED … RETURNING and stores the in-app notification in the same
// transaction, so a job is claimed by exactly one scheduler and its notification exists
// exactly once; the e-mail follows the commit (a crash in between loses that e-mail, never
// duplicates it).
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import { createNotices, deliver, type Notice } from "~/domains/notifications/notify.server";

type Db = Prisma.TransactionClient;

export const REMINDERS = [
  { kind: "reminder24h", minutesBefore: 24 * 60 },
  { kind: "reminder15m", minutesBefore: 15 },
] as const;

const MINUTE = 60_000;

/** Creates (or re-arms) the reminder jobs of these users for a session; past-due ones are skipped. */
export async function scheduleReminders(db: Db, session: { id: string; startsAt: Date }, userIds: string[], now: Date) {
  for (const userId of new Set(userIds)) {
    for (const r of REMINDERS) {
      const dueAt = new Date(session.startsAt.getTime() - r.minutesBefore * MINUTE);
      if (dueAt <= now) continue;
      await db.reminderJob.upsert({
        where: { sessionId_userId_kind: { sessionId: session.id, userId, kind: r.kind } },
        create: { sessionId: session.id, userId, kind: r.kind, dueAt },
        update: { dueAt, sentAt: null },
      });
    }
  }
}

/** Drops the unsent jobs of a session (of some users, or everyone's). */
export async function dropReminders(db: Db, sessionId: string, userIds?: string[]) {
  await db.reminderJob.deleteMany({ where: { sessionId, sentAt: null, ...(userIds ? { userId: { in: userIds } } : {}) } });
}

interface ClaimedJob {
  id: string;
  sessionId: string;
  userId: string;
  kind: string;
}

/** Claims and sends every due reminder; returns how many notifications were created. */
export async function runDueReminders(now: Date = new Date(), batch = 100): Promise<number> {
  const at = now.toISOString();
  let sent = 0;
  for (;;) {
    const { claimed, notices, mails } = await prisma.$transaction(
      async (tx) => {
        const claimed = await tx.$queryRaw<ClaimedJob[]>`
          UPDATE "ReminderJob" SET "sentAt" = ${at}::timestamp
          WHERE id IN (
            SELECT id FROM "ReminderJob"
            WHERE "sentAt" IS NULL AND "dueAt" <= ${at}::timestamp
            ORDER BY "dueAt"
            LIMIT ${batch}
            FOR UPDATE SKIP LOCKED
          ) AND "sentAt" IS NULL
          RETURNING id, "sessionId", "userId", kind`;
        if (claimed.length === 0) return { claimed, notices: [] as Notice[], mails: [] };
        const sessions = new Map(
          (
            await tx.liveSession.findMany({
              where: { id: { in: [...new Set(claimed.map((j) => j.sessionId))] } },
              include: {
                host: { select: { name: true } },
                bookings: { where: { status: "confirmed" }, select: { id: true, learnerId: true } },
              },
            })
          ).map((s) => [s.id, s]),
        );
        const notices: Notice[] = [];
        for (const job of claimed) {
          const s = sessions.get(job.sessionId);
          // Stale or void: the session was cancelled, already began, or the seat was given up.
          if (!s || s.status !== "scheduled" || s.startsAt <= now) continue;
          const booking = s.bookings.find((b) => b.learnerId === job.userId);
          const isHost = s.hostId === job.userId;
          if (!isHost && !booking) continue;
          notices.push({
            userId: job.userId,
            kind: job.kind === "reminder15m" ? "reminder15m" : "reminder24h",
            url: booking ? `/schedule/bookings/${booking.id}` : `/sessions/${s.id}`,
            params: { title: s.title, expert: s.host.name },
            when: { start: s.startsAt, end: s.endsAt },
          });
        }
        return { claimed, notices, mails: await createNotices(tx, notices) };
      },
      { maxWait: 15_000, timeout: 30_000 },
    );
    deliver(mails);
    sent += notices.length;
    if (claimed.length < batch) return sent;
  }
}

/**
 * Runs due reminders now and then every REMINDER_INTERVAL_MS (default 30 s). Safe to run in
 * every server process at once. Call stop() on shutdown.
 */
export function startReminderScheduler(options: { intervalMs?: number; log?: (line: string) => void } = {}): { stop(): void } {
  const intervalMs = options.intervalMs ?? Number(process.env.REMINDER_INTERVAL_MS ?? 30_000);
  const log = options.log ?? ((line: string) => console.error(line));
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = runDueReminders()
      .then(() => undefined)
      .catch((err) => log(`[reminders] run failed: ${err instanceof Error ? err.message : err}`))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
