// The version of what anonymous public pages show (courses, their modules, lessons, authors,
// categories, cover assets, learner counts, author names). db.server.ts bumps it after every
// write to those tables through Prisma; server/page-cache.ts serves no copy of an older
// version. One counter per process: several server processes would need a shared one.
let version = 0;

export const PUBLIC_CONTENT_MODELS = new Set([
  "SkillCategory",
  "Course",
  "CourseAuthor",
  "CourseModule",
  "Lesson",
  "Asset",
  "Enrollment",
  "User",
]);

const WRITES = new Set(["create", "createMany", "createManyAndReturn", "update", "updateMany", "updateManyAndReturn", "upsert", "delete", "deleteMany"]);

export function publicContentVersion() {
  return version;
}

export function bumpPublicContent() {
  version++;
}

export function isPublicContentWrite(model: string | undefined, operation: string) {
  return model !== undefined && PUBLIC_CONTENT_MODELS.has(model) && WRITES.has(operation);
}
