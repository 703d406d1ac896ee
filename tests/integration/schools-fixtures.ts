// Builders for the school tests: organisations, accounts with sessions, published courses.
import crypto from "node:crypto";
import type { Role } from "~/domains/auth/roles";
import { prisma } from "~/domains/db.server";
import { createSessionCookie } from "~/domains/auth/session.server";

const uid = () => crypto.randomBytes(4).toString("hex");

export async function makeUser(role: Role, name = `${role}-${uid()}`, extra: { email?: string; phone?: string } = {}) {
  return prisma.user.create({
    data: { name, role, email: extra.email ?? `${name}-${uid()}@skillrelay.test`.toLowerCase(), phone: extra.phone, passwordHash: "x" },
  });
}

export async function makeOrg(name = `Org ${uid()}`) {
  const org = await prisma.organization.create({ data: { name, verifiedAt: new Date() } });
  const admin = await makeUser("school_admin");
  await prisma.membership.create({ data: { orgId: org.id, userId: admin.id, role: "admin" } });
  return { org, admin };
}

export async function makeCohort(orgId: string, name = `Class ${uid()}`) {
  return prisma.cohort.create({ data: { orgId, name } });
}

export async function addLearner(orgId: string, cohortId?: string, name = `Learner ${uid()}`) {
  const user = await makeUser("learner", name);
  await prisma.membership.create({ data: { orgId, userId: user.id, role: "learner" } });
  if (cohortId) await prisma.cohortMember.create({ data: { cohortId, userId: user.id } });
  return user;
}

export async function makeCourse(opts: { lessons?: number; status?: "draft" | "published"; title?: string } = {}) {
  const category = await prisma.skillCategory.upsert({
    where: { slug: "welding-test" },
    create: { slug: "welding-test", nameEn: "Welding", nameZh: "焊接" },
    update: {},
  });
  const slug = `course-${uid()}`;
  return prisma.course.create({
    data: {
      slug,
      title: opts.title ?? `焊接入门 ${slug}`,
      categoryId: category.id,
      status: opts.status ?? "published",
      modules: {
        create: [
          {
            title: "Module 1",
            position: 1,
            lessons: { create: Array.from({ length: opts.lessons ?? 4 }, (_, i) => ({ title: `Lesson ${i + 1}`, kind: "text" as const, position: i + 1 })) },
          },
        ],
      },
    },
    include: { modules: { include: { lessons: { orderBy: { position: "asc" } } } } },
  });
}

/** A request as the browser would send it, with the user's session cookie. */
export async function requestAs(userId: string | null, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (userId) headers.set("Cookie", (await createSessionCookie(userId)).split(";")[0]);
  headers.set("Accept-Language", "en");
  return new Request(`http://localhost${path}`, { ...init, headers });
}

/** The body of a loader/action result, whether plain or wrapped by `data()`. */
export function bodyOf<T = Record<string, unknown>>(result: unknown): T {
  const r = result as { type?: string; data?: unknown };
  return (r && r.type === "DataWithResponseInit" ? r.data : r) as T;
}

export function statusOf(result: unknown) {
  const r = result as { type?: string; init?: { status?: number } | null };
  return r && r.type === "DataWithResponseInit" ? (r.init?.status ?? 200) : 200;
}

/** What a loader or action threw (a Response) or returned. */
export async function settle(p: Promise<unknown>) {
  try {
    return { thrown: null as Response | null, value: await p };
  } catch (err) {
    if (err instanceof Response) return { thrown: err, value: null };
    throw err;
  }
}

/** Empties the tables these tests fill (the file's database is its own). */
export async function resetSchoolTables() {
  await prisma.$executeRawUnsafe(`TRUNCATE "User", "Organization", "Course", "SkillCategory" CASCADE`);
}

/** The error keys of a form's reply (Conform, app/utils/forms.server.ts): `field` ("" = the form's), or all of them. */
export function formErrorsOf(result: unknown, field?: string): string[] {
  const error = (bodyOf<{ error?: Record<string, string[] | null> | null }>(result)?.error ?? {}) as Record<string, string[] | null>;
  return field === undefined ? Object.values(error).flatMap((e) => e ?? []) : (error[field] ?? []);
}
