// Test data made through the real domain code and database.
import { prisma } from "~/domains/db.server";
import type { Role } from "~/domains/auth/roles";
import type { SchemeInput } from "~/domains/assessment/scheme";
import { createSessionCookie } from "~/domains/auth/session.server";

let n = 0;
export async function makeUser(role: Role, name = `${role} ${++n}`) {
  return prisma.user.create({ data: { email: `${role}-${Date.now()}-${++n}@skillrelay.test`, name, role, passwordHash: "unused" } });
}

/** A Request carrying a real session cookie of the user. */
export async function requestAs(userId: string | null, url = "http://localhost/", init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (userId) headers.set("Cookie", (await createSessionCookie(userId)).split(";")[0]);
  return new Request(url, { ...init, headers });
}

export async function makeCategory() {
  return prisma.skillCategory.upsert({ where: { slug: "welding" }, create: { slug: "welding", nameEn: "Welding", nameZh: "焊接" }, update: {} });
}

/** A published course owned by `ownerId` with one module of a text, a video, a material and a task lesson. */
export async function makeCourse(ownerId: string, opts: { status?: "draft" | "published"; title?: string; videoSeconds?: number } = {}) {
  const category = await makeCategory();
  const slug = `course-${Date.now()}-${++n}`;
  const video = await prisma.asset.create({
    data: { ownerId, storageKey: `files/none/${slug}.webm`, originalName: "v.webm", mimeType: "video/webm", sizeBytes: 10n, durationSeconds: opts.videoSeconds ?? 100 },
  });
  const material = await prisma.asset.create({
    data: { ownerId, storageKey: `files/none/${slug}.pdf`, originalName: "m.pdf", mimeType: "application/pdf", sizeBytes: 10n },
  });
  const course = await prisma.course.create({
    data: {
      slug,
      title: opts.title ?? "Welding basics",
      categoryId: category.id,
      status: opts.status ?? "published",
      authors: { create: { userId: ownerId, role: "owner" } },
      modules: {
        create: {
          title: "M1",
          position: 0,
          lessons: {
            create: [
              { title: "Read", kind: "text", position: 0, body: "# hi", durationMinutes: 10 },
              { title: "Watch", kind: "video", position: 1, assetId: video.id, durationMinutes: 20 },
              { title: "Download", kind: "material", position: 2, assetId: material.id, durationMinutes: 5 },
              { title: "Do", kind: "task", position: 3, durationMinutes: 60 },
            ],
          },
        },
      },
    },
    include: { modules: { include: { lessons: { orderBy: { position: "asc" } } } } },
  });
  const [text, videoLesson, materialLesson, task] = course.modules[0].lessons;
  return { course, text, video: videoLesson, material: materialLesson, task, videoAsset: video, materialAsset: material };
}

export const JUDGEMENT_DESCRIPTORS = ["Not acceptable", "Below standard", "Industry standard", "Excellent"];

/** A scheme that adds up: one measurement aspect (tolerance bands, 40) and one judgement aspect (60). */
export const TWO_ASPECT_SCHEME: SchemeInput = {
  total: 100,
  tolerance: 0,
  sections: [
    { name: "Dimensions", weighting: 40, criteria: [{ code: "A", name: "Size", aspects: [{ kind: "measurement", description: "Length", maxMark: 40, measurement: { mode: "bands", bands: [{ upTo: 0.5, fraction: 1 }, { upTo: 1, fraction: 0.5 }] } }] }] },
    { name: "Visual", weighting: 60, criteria: [{ code: "B", name: "Bead", aspects: [{ kind: "judgement", description: "Uniform bead", maxMark: 60, descriptors: JUDGEMENT_DESCRIPTORS }] }] },
  ],
};
