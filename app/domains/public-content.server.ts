// The version of what anonymous public pages show (courses, their modules, lessons, authors,
// categories, cover assets, learner counts, author names). db.server.ts bumps it after every
// write to those tables through Prisma; server/page-cache.ts serves no copy of an older
// version. One counter per process (server/ and the Remix build each load this module, so it
// lives on globalThis). With REDIS_URL, every bump is also published to the other processes
// (server/redis.ts subscribes), which bump theirs: an edit served by one process invalidates
// the cached pages of all.
import { publishPublicContentChange } from "./redis.server";

const KEY = Symbol.for("skillrelay.publicContentVersion");
const state = ((globalThis as Record<symbol, unknown>)[KEY] ??= { version: 0, nextChangeAt: null }) as { version: number; nextChangeAt: number | null };

export const PUBLIC_CONTENT_MODELS = new Set([
  "SkillCategory",
  "Course",
  "CourseAuthor",
  "CourseModule",
  "Lesson",
  "Asset",
  "Enrollment",
  "User",
  "Article",
  "ExpertProfile",
  "ExpertRating",
  // County names appear on public stories (decision 021: /admin/regions edits them).
  "Region",
]);

const WRITES = new Set(["create", "createMany", "createManyAndReturn", "update", "updateMany", "updateManyAndReturn", "upsert", "delete", "deleteMany"]);

export function publicContentVersion(now = Date.now()) {
  // A scheduled article becomes public at its publishAt with no write: the first request
  // after that instant moves the version on, so no page stored before it is served again.
  if (state.nextChangeAt !== null && now >= state.nextChangeAt) {
    state.nextChangeAt = null;
    state.version++;
  }
  return state.version;
}

/**
 * Tells the cache when public content next changes by itself (the next scheduled
 * publishAt). Loaders that show articles call it with what they found; the earliest wins.
 */
export function notePublicContentChangeAt(at: Date | null | undefined) {
  if (!at) return;
  const t = at.getTime();
  if (t <= Date.now()) return;
  if (state.nextChangeAt === null || t < state.nextChangeAt) state.nextChangeAt = t;
}

export function bumpPublicContent() {
  state.version++;
  publishPublicContentChange();
}

/** Another process announced a change (server/redis.ts): not published again. */
export function bumpPublicContentFromElsewhere() {
  state.version++;
}

const CREATE_OR_DELETE = new Set(["create", "createMany", "createManyAndReturn", "upsert", "delete", "deleteMany"]);

/**
 * Whether a Prisma write changes what public pages show. Enrolments count only when made or
 * removed (pages show how many), not when a learner's last lesson moves; users only when
 * their name changes or they go (pages show authors' names).
 */
export function isPublicContentWrite(model: string | undefined, operation: string, args?: unknown) {
  if (model === undefined || !PUBLIC_CONTENT_MODELS.has(model) || !WRITES.has(operation)) return false;
  if (model === "Enrollment") return CREATE_OR_DELETE.has(operation);
  if (model === "User") {
    if (operation.startsWith("delete") || operation.startsWith("create")) return true;
    const data = (args as { data?: unknown; update?: unknown } | undefined)?.data ?? (args as { update?: unknown } | undefined)?.update;
    return typeof data !== "object" || data === null || "name" in data;
  }
  return true;
}
