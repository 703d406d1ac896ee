/**
 * Who may enter a live session, as one pure function: the page loader (/live/$sessionId),
 * the session page's Join button and the socket's "room:join" all call it with the same
 * facts from the database (sessions.server.ts gathers them).
 */

/** Participants may join from this long before the start (the host any time). */
export const JOIN_EARLY_MS = 10 * 60_000;
/**
 * A session is over this long after its planned end, live or not (the default of
 * LIVE_SESSION_END_GRACE_MINUTES, see sessions.server.ts): nobody enters any more.
 */
export const JOIN_LATE_MS = 60 * 60_000;

export type LiveRole = "host" | "admin" | "participant";

export type RefusalReason =
  | "not_found"
  | "not_invited" // neither host, invited, booked nor admin
  | "removed" // removed by a moderator: can't rejoin
  | "cancelled"
  | "ended"
  | "too_early"; // participants: more than 10 minutes before the start

export type AccessDecision = { ok: true; role: LiveRole } | { ok: false; reason: RefusalReason; opensAt?: Date };

export interface AccessFacts {
  session: {
    hostId: string;
    status: "scheduled" | "live" | "ended" | "cancelled";
    startsAt: Date;
    endsAt: Date;
  } | null;
  user: { id: string; role: string };
  invite: { banned: boolean } | null;
  /** A confirmed booking of this user for this session. */
  booked: boolean;
}

export function decideAccess(
  { session, user, invite, booked }: AccessFacts,
  now = new Date(),
  endGraceMs = JOIN_LATE_MS,
): AccessDecision {
  if (!session) return { ok: false, reason: "not_found" };
  const host = session.hostId === user.id;
  const admin = user.role === "admin";
  // Strangers learn nothing about the session (not even that it was cancelled or ended).
  if (!host && !admin) {
    if (invite?.banned) return { ok: false, reason: "removed" };
    if (!invite && !booked) return { ok: false, reason: "not_invited" };
  }
  if (session.status === "cancelled") return { ok: false, reason: "cancelled" };
  if (session.status === "ended") return { ok: false, reason: "ended" };
  // Over for everyone, the host too, even while "live" (the live service ends it soon).
  if (now.getTime() > session.endsAt.getTime() + endGraceMs) return { ok: false, reason: "ended" };
  if (host) return { ok: true, role: "host" };
  if (admin) return { ok: true, role: "admin" };
  if (session.status !== "live") {
    const opensAt = new Date(session.startsAt.getTime() - JOIN_EARLY_MS);
    if (now < opensAt) return { ok: false, reason: "too_early", opensAt };
  }
  return { ok: true, role: "participant" };
}

export function isModerator(role: LiveRole): boolean {
  return role === "host" || role === "admin";
}


export type ViewDecision = { ok: true; role: LiveRole } | { ok: false; reason: "not_found" | "not_invited" | "removed" };

/**
 * Who may see a session's page and play its recordings (also after it ended): the host,
 * admins, invited (not removed) and booked learners.
 */
export function decideView({ session, user, invite, booked }: AccessFacts): ViewDecision {
  if (!session) return { ok: false, reason: "not_found" };
  if (session.hostId === user.id) return { ok: true, role: "host" };
  if (user.role === "admin") return { ok: true, role: "admin" };
  if (invite?.banned) return { ok: false, reason: "removed" };
  if (!invite && !booked) return { ok: false, reason: "not_invited" };
  return { ok: true, role: "participant" };
}
