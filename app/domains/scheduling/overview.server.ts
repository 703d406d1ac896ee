// What the schedule pages list: a learner's next bookings, an expert's next sessions, a school
// admin's cohorts and the sessions their members are booked on, an expert's public profile.
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { administeredOrgIds } from "~/domains/schools/permissions.server";
import { loadAvailability } from "./profile.server";

export function upcomingBookingsOf(learnerId: string, now: Date, take = 5) {
  return prisma.booking.findMany({
    where: { learnerId, status: "confirmed", session: { endsAt: { gt: now } } },
    include: { session: { include: { host: { select: { name: true } } } } },
    orderBy: { session: { startsAt: "asc" } },
    take,
  });
}

export function upcomingHostedSessions(hostId: string, now: Date, take = 5) {
  return prisma.liveSession.findMany({
    where: { hostId, status: { in: ["scheduled", "live"] }, endsAt: { gt: now } },
    include: { bookings: { where: { status: "confirmed" }, select: { id: true } } },
    orderBy: { startsAt: "asc" },
    take,
  });
}

/** The cohorts of the organisations the user administers (from their memberships). */
export async function administeredCohorts(user: Pick<AuthUser, "id" | "role">) {
  const orgIds = await administeredOrgIds(user);
  return prisma.cohort.findMany({
    where: { orgId: { in: orgIds } },
    include: { org: { select: { name: true } }, _count: { select: { members: true } } },
    orderBy: [{ org: { name: "asc" } }, { name: "asc" }],
  });
}

export function cohortMembers(cohortId: string) {
  return prisma.cohortMember.findMany({ where: { cohortId }, include: { user: { select: { id: true, name: true } } }, orderBy: { user: { name: "asc" } } });
}

/** Scheduled sessions some of these learners are booked on, with those learners' names. */
export function upcomingSessionsOfLearners(learnerIds: string[], now: Date, take = 20) {
  return prisma.liveSession.findMany({
    where: { status: "scheduled", endsAt: { gt: now }, bookings: { some: { status: "confirmed", learnerId: { in: learnerIds } } } },
    include: { host: { select: { name: true } }, bookings: { where: { status: "confirmed", learnerId: { in: learnerIds } }, include: { learner: { select: { name: true } } } } },
    orderBy: { startsAt: "asc" },
    take,
  });
}

/** An expert who can be booked, with their active session types; null if there is none. */
export async function bookableExpert(expertId: string) {
  const expert = await prisma.user.findFirst({
    where: { id: expertId, role: { in: ["expert", "admin"] }, expertProfile: { isNot: null } },
    select: {
      id: true,
      name: true,
      expertProfile: { select: { timeZone: true, bio: true, cancelCutoffMinutes: true, sessionTypes: { where: { active: true }, orderBy: [{ kind: "asc" }, { durationMinutes: "asc" }] } } },
    },
  });
  return expert?.expertProfile ? { ...expert, profile: expert.expertProfile } : null;
}

export async function sessionTypeBelongsTo(sessionTypeId: string, expertId: string) {
  const type = await prisma.sessionType.findUnique({ where: { id: sessionTypeId }, select: { expertId: true } });
  return type?.expertId === expertId;
}

export function availabilityOf(expertId: string) {
  return loadAvailability(prisma, expertId);
}
