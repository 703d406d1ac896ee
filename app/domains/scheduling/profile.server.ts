// An expert's bookable time: profile settings, weekly windows, date overrides, session types.
import { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import type { Availability } from "./slots";
import { canonicalTimeZone, zonedParts } from "./tz";

type Db = Prisma.TransactionClient;

/** The expert's profile, created with defaults (and the user's own zone) on first use. */
export async function ensureExpertProfile(userId: string) {
  const existing = await prisma.expertProfile.findUnique({ where: { userId } });
  if (existing) return existing;
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { timeZone: true } });
  try {
    return await prisma.expertProfile.create({ data: { userId, timeZone: canonicalTimeZone(user.timeZone) ?? "Asia/Shanghai" } });
  } catch (err) {
    // Two first visits at once (two tabs, a double click): the other one made it.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") return prisma.expertProfile.findUniqueOrThrow({ where: { userId } });
    throw err;
  }
}

export async function getAvailabilitySettings(userId: string) {
  const profile = await ensureExpertProfile(userId);
  const [rules, overrides, types] = await Promise.all([
    prisma.availabilityRule.findMany({ where: { expertId: userId }, orderBy: [{ weekday: "asc" }, { startMinute: "asc" }] }),
    prisma.availabilityOverride.findMany({ where: { expertId: userId }, orderBy: [{ date: "asc" }, { startMinute: "asc" }] }),
    prisma.sessionType.findMany({ where: { expertId: userId }, orderBy: [{ active: "desc" }, { kind: "asc" }, { durationMinutes: "asc" }] }),
  ]);
  return { profile, rules, overrides, types };
}

/** The slot generator's view of an expert (null when they never set up a profile). */
export async function loadAvailability(db: Db, expertId: string): Promise<Availability | null> {
  const profile = await db.expertProfile.findUnique({
    where: { userId: expertId },
    include: { rules: true, overrides: true },
  });
  if (!profile) return null;
  return {
    timeZone: profile.timeZone,
    bufferMinutes: profile.bufferMinutes,
    minNoticeMinutes: profile.minNoticeMinutes,
    maxSessionsPerDay: profile.maxSessionsPerDay,
    rules: profile.rules.map((r) => ({ weekday: r.weekday, startMinute: r.startMinute, endMinute: r.endMinute })),
    overrides: profile.overrides.map((o) => ({ date: o.date, kind: o.kind, startMinute: o.startMinute, endMinute: o.endMinute })),
  };
}

export async function updateSettings(
  userId: string,
  input: { timeZone: string; bufferMinutes: number; minNoticeMinutes: number; maxSessionsPerDay: number; cancelCutoffMinutes: number },
) {
  await ensureExpertProfile(userId);
  return prisma.expertProfile.update({ where: { userId }, data: input });
}

export type AddWindowsResult = { ok: true } | { ok: false; error: "windowOverlap"; weekdays: number[] };

/** Adds the window on each weekday; refused (nothing added) where it overlaps a window the expert has. */
export async function addWeeklyWindows(userId: string, weekdays: number[], startMinute: number, endMinute: number): Promise<AddWindowsResult> {
  await ensureExpertProfile(userId);
  const days = [...new Set(weekdays)];
  const overlapping = await prisma.availabilityRule.findMany({
    where: { expertId: userId, weekday: { in: days }, startMinute: { lt: endMinute }, endMinute: { gt: startMinute } },
    select: { weekday: true },
  });
  if (overlapping.length) return { ok: false, error: "windowOverlap", weekdays: [...new Set(overlapping.map((r) => r.weekday))] };
  await prisma.availabilityRule.createMany({
    data: days.map((weekday) => ({ expertId: userId, weekday, startMinute, endMinute })),
  });
  return { ok: true };
}

export async function deleteWeeklyWindow(userId: string, ruleId: string) {
  await prisma.availabilityRule.deleteMany({ where: { id: ruleId, expertId: userId } });
}

export async function clearWeekday(userId: string, weekday: number) {
  await prisma.availabilityRule.deleteMany({ where: { expertId: userId, weekday } });
}

export async function addOverride(
  userId: string,
  input: { date: string; kind: "extra" | "off"; startMinute: number | null; endMinute: number | null },
  now = new Date(),
) {
  const profile = await ensureExpertProfile(userId);
  // A date already past in the expert's zone would be stored and never shown: refuse it.
  if (input.date < zonedParts(now, profile.timeZone).date) return { ok: false as const, error: "overrideInPast" as const };
  if (input.kind === "off") {
    // One "off" per date is enough.
    const existing = await prisma.availabilityOverride.findFirst({ where: { expertId: userId, date: input.date, kind: "off" } });
    if (existing) return { ok: true as const, override: existing };
    return { ok: true as const, override: await prisma.availabilityOverride.create({ data: { expertId: userId, date: input.date, kind: "off" } }) };
  }
  return { ok: true as const, override: await prisma.availabilityOverride.create({ data: { expertId: userId, ...input } }) };
}

export async function deleteOverride(userId: string, overrideId: string) {
  await prisma.availabilityOverride.deleteMany({ where: { id: overrideId, expertId: userId } });
}

export async function addSessionType(
  userId: string,
  input: { title: string; kind: "one_to_one" | "group"; durationMinutes: number; capacity: number },
) {
  await ensureExpertProfile(userId);
  return prisma.sessionType.create({
    data: { expertId: userId, ...input, capacity: input.kind === "one_to_one" ? 1 : input.capacity },
  });
}

/** Session types are switched off rather than deleted: booked sessions keep pointing at them. */
export async function setSessionTypeActive(userId: string, typeId: string, active: boolean) {
  await prisma.sessionType.updateMany({ where: { id: typeId, expertId: userId }, data: { active } });
}

/** Experts with at least one active session type and some weekly hours or extra dates. */
export async function listBookableExperts() {
  const profiles = await prisma.expertProfile.findMany({
    where: {
      sessionTypes: { some: { active: true } },
      OR: [{ rules: { some: {} } }, { overrides: { some: { kind: "extra" } } }],
      user: { role: { in: ["expert", "admin"] } },
    },
    include: {
      user: { select: { id: true, name: true } },
      sessionTypes: { where: { active: true }, orderBy: [{ kind: "asc" }, { durationMinutes: "asc" }] },
    },
    orderBy: { user: { name: "asc" } },
  });
  return profiles.map((p) => ({
    id: p.user.id,
    name: p.user.name,
    bio: p.bio,
    timeZone: p.timeZone,
    types: p.sessionTypes.map((t) => ({ id: t.id, title: t.title, kind: t.kind, durationMinutes: t.durationMinutes, capacity: t.capacity })),
  }));
}

export async function getUserTimeZone(userId: string) {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { timeZone: true } });
  return canonicalTimeZone(user?.timeZone) ?? "Asia/Shanghai";
}

export async function setUserTimeZone(userId: string, timeZone: string) {
  await prisma.user.update({ where: { id: userId }, data: { timeZone } });
}
