import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { enrol, getCoursePage, learnerCourses } from "~/domains/courses/courses.server";
import { getLessonForStudy, markMaterialDownloaded, markTextRead, MAX_PLAYBACK_RATE, recordVideoPosition, submitTask } from "~/domains/courses/lessons.server";
import { serveAsset } from "~/domains/courses/media.server";
import { storage } from "~/domains/courses/storage.server";
import { progressFor, key } from "~/domains/courses/progress.server";
import { makeCourse, makeUser } from "./fixtures";

describe("per-lesson progress rules", () => {
  it("text read, video past 90 %, material downloaded, task submitted → course completed", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser("learner");
    const c = await makeCourse(expert.id, { videoSeconds: 100 });
    await enrol(learner, c.course.id);

    expect(await markTextRead(learner.id, c.text.id)).toBe(true);

    // Watching in real time: reports every 10 s (on a clock we control), 89 s of 100 is
    // not enough; going back earns nothing; a position past the end is capped.
    const t0 = Date.now();
    const at = (s: number) => new Date(t0 + s * 1000);
    expect(await recordVideoPosition(learner.id, c.video.id, 0, at(0))).toEqual({ completed: false, watchedSeconds: 0 });
    for (let s = 10; s <= 50; s += 10) await recordVideoPosition(learner.id, c.video.id, s, at(s));
    expect(await recordVideoPosition(learner.id, c.video.id, 20, at(55))).toEqual({ completed: false, watchedSeconds: 50 });
    expect(await recordVideoPosition(learner.id, c.video.id, 50, at(70))).toEqual({ completed: false, watchedSeconds: 80 });
    expect(await recordVideoPosition(learner.id, c.video.id, 59, at(79))).toEqual({ completed: false, watchedSeconds: 89 });
    expect(await recordVideoPosition(learner.id, c.video.id, 5000, at(95))).toEqual({ completed: true, watchedSeconds: 100 });

    let p = (await progressFor([learner.id], [c.course.id])).get(key(learner.id, c.course.id))!;
    expect(p).toMatchObject({ completed: 2, total: 4, percent: 50, completedMinutes: 30 });

    expect(await markMaterialDownloaded(learner.id, c.material.id, c.materialAsset.id)).toBe(true);
    await submitTask(learner.id, c.task.id, "photos attached", null);
    p = (await progressFor([learner.id], [c.course.id])).get(key(learner.id, c.course.id))!;
    expect(p).toMatchObject({ completed: 4, total: 4, percent: 100, completedMinutes: 95 });
    const enrollment = await prisma.enrollment.findUniqueOrThrow({ where: { userId_courseId: { userId: learner.id, courseId: c.course.id } } });
    expect(enrollment.completedAt).not.toBeNull();
  });

  it("the first completion time is kept when a lesson is repeated", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser("learner");
    const c = await makeCourse(expert.id);
    await enrol(learner, c.course.id);
    await markTextRead(learner.id, c.text.id);
    const first = await prisma.lessonProgress.findUniqueOrThrow({ where: { userId_lessonId: { userId: learner.id, lessonId: c.text.id } } });
    await new Promise((r) => setTimeout(r, 20));
    await markTextRead(learner.id, c.text.id);
    const again = await prisma.lessonProgress.findUniqueOrThrow({ where: { userId_lessonId: { userId: learner.id, lessonId: c.text.id } } });
    expect(again.completedAt).toEqual(first.completedAt);
  });

  it("nothing is recorded for someone not enrolled (an author previewing)", async () => {
    const expert = await makeUser("expert");
    const c = await makeCourse(expert.id);
    expect(await markTextRead(expert.id, c.text.id)).toBe(false);
    expect(await recordVideoPosition(expert.id, c.video.id, 99)).toEqual({ completed: false, watchedSeconds: 0 });
    expect(await prisma.lessonProgress.count({ where: { userId: expert.id } })).toBe(0);
    await expect(submitTask(expert.id, c.task.id, "x", null)).rejects.toMatchObject({ status: 403 });
  });

  it("a lesson kind's rule cannot be used on another kind", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser("learner");
    const c = await makeCourse(expert.id);
    await enrol(learner, c.course.id);
    await expect(markTextRead(learner.id, c.video.id)).rejects.toMatchObject({ status: 400 });
    await expect(recordVideoPosition(learner.id, c.text.id, 10)).rejects.toMatchObject({ status: 400 });
    expect(await markMaterialDownloaded(learner.id, c.text.id, c.materialAsset.id)).toBe(false);
  });

  it("remembers the last lesson opened for 'continue where you left off' and shows it on the dashboard", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser("learner");
    const c = await makeCourse(expert.id);
    await enrol(learner, c.course.id);
    await getLessonForStudy(learner, c.course.slug, c.material.id);
    const page = await getCoursePage(c.course.slug, learner);
    expect(page.enrollment?.lastLessonId).toBe(c.material.id);
    const mine = await learnerCourses(learner.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ lastLessonId: c.material.id, progress: { total: 4, completed: 0 } });
  });
});

describe("progress cannot be forged", () => {
  it("a position report of the whole video right after opening it does not mark it watched", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser("learner");
    const c = await makeCourse(expert.id, { videoSeconds: 100 });
    await enrol(learner, c.course.id);
    const t0 = Date.now();
    // Straight to the end, and again 0.3 s later.
    expect(await recordVideoPosition(learner.id, c.video.id, 100, new Date(t0))).toEqual({ completed: false, watchedSeconds: 0 });
    const r = await recordVideoPosition(learner.id, c.video.id, 0, new Date(t0 + 100));
    expect(r.completed).toBe(false);
    const again = await recordVideoPosition(learner.id, c.video.id, 100, new Date(t0 + 400));
    expect(again.completed).toBe(false);
    expect(again.watchedSeconds).toBeLessThanOrEqual(3);
    // Skipping ahead in jumps earns at most the wall-clock time × the top playback rate.
    let t = t0 + 400;
    for (let pos = 10; pos <= 100; pos += 10) {
      t += 1000;
      await recordVideoPosition(learner.id, c.video.id, pos === 100 ? 0 : pos, new Date(t));
    }
    const jumped = await recordVideoPosition(learner.id, c.video.id, 100, new Date(t + 1000));
    expect(jumped.completed).toBe(false);
    expect(jumped.watchedSeconds).toBeLessThanOrEqual(3 + 11 * (1 * MAX_PLAYBACK_RATE + 2));
  });

  it("watching at double speed counts; parallel reports of one interval are credited once", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser("learner");
    const c = await makeCourse(expert.id, { videoSeconds: 100 });
    await enrol(learner, c.course.id);
    const t0 = Date.now();
    await recordVideoPosition(learner.id, c.video.id, 0, new Date(t0));
    const parallel = await Promise.all([1, 2, 3, 4].map(() => recordVideoPosition(learner.id, c.video.id, 20, new Date(t0 + 10_000))));
    expect(Math.max(...parallel.map((p) => p.watchedSeconds))).toBe(20);
    for (let s = 1; s <= 4; s++) await recordVideoPosition(learner.id, c.video.id, 20 + s * 20, new Date(t0 + 10_000 + s * 10_000));
    const row = await prisma.lessonProgress.findUniqueOrThrow({ where: { userId_lessonId: { userId: learner.id, lessonId: c.video.id } } });
    expect(row.watchedSeconds).toBe(100);
    expect(row.completedAt).not.toBeNull();
  });

  it("a material lesson is done only by downloading its own file, not any readable one", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser("learner");
    const c = await makeCourse(expert.id);
    await enrol(learner, c.course.id);
    // A real file the learner may read: the course's video (also a file of this course).
    const temp = await storage.tempPath();
    fs.writeFileSync(temp, "x".repeat(100));
    const key = await storage.commit(temp, ".webm");
    await prisma.asset.update({ where: { id: c.videoAsset.id }, data: { storageKey: key } });
    const materialKey = await (async () => {
      const t = await storage.tempPath();
      fs.writeFileSync(t, "%PDF-1.4");
      return storage.commit(t, ".pdf");
    })();
    await prisma.asset.update({ where: { id: c.materialAsset.id }, data: { storageKey: materialKey } });
    const user = { id: learner.id, role: learner.role };
    const other = await serveAsset(new Request("http://localhost/"), user, c.videoAsset.id, { download: true, lessonId: c.material.id });
    expect(other.status).toBe(200);
    const done = () => prisma.lessonProgress.findUnique({ where: { userId_lessonId: { userId: learner.id, lessonId: c.material.id } } });
    expect((await done())?.completedAt ?? null).toBeNull();
    const own = await serveAsset(new Request("http://localhost/"), user, c.materialAsset.id, { download: true, lessonId: c.material.id });
    expect(own.status).toBe(200);
    expect((await done())?.completedAt).toBeInstanceOf(Date);
  });
});
