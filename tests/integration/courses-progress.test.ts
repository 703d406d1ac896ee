import { describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { enrol, getCoursePage, learnerCourses } from "~/domains/courses/courses.server";
import { getLessonForStudy, markMaterialDownloaded, markTextRead, recordVideoPosition, submitTask } from "~/domains/courses/lessons.server";
import { progressFor, key } from "~/domains/courses/progress.server";
import { makeCourse, makeUser } from "./fixtures";

describe("per-lesson progress rules", () => {
  it("text read, video past 90 %, material downloaded, task submitted → course completed", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser("learner");
    const c = await makeCourse(expert.id, { videoSeconds: 100 });
    await enrol(learner, c.course.id);

    expect(await markTextRead(learner.id, c.text.id)).toBe(true);

    // Watching: progress only moves forward, and 89 s of 100 is not enough.
    expect(await recordVideoPosition(learner.id, c.video.id, 50)).toEqual({ completed: false, watchedSeconds: 50 });
    expect(await recordVideoPosition(learner.id, c.video.id, 20)).toEqual({ completed: false, watchedSeconds: 50 });
    expect(await recordVideoPosition(learner.id, c.video.id, 89)).toEqual({ completed: false, watchedSeconds: 89 });
    // A position past the end is capped at the measured length.
    expect(await recordVideoPosition(learner.id, c.video.id, 5000)).toEqual({ completed: true, watchedSeconds: 100 });

    let p = (await progressFor([learner.id], [c.course.id])).get(key(learner.id, c.course.id))!;
    expect(p).toMatchObject({ completed: 2, total: 4, percent: 50, completedMinutes: 30 });

    expect(await markMaterialDownloaded(learner.id, c.material.id)).toBe(true);
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
    expect(await markMaterialDownloaded(learner.id, c.text.id)).toBe(false);
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
