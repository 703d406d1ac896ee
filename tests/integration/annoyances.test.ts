// Small annoyances of issue 9, each on the real database and route modules (and the real
// server for the rendered availability form).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app";
import { prisma } from "~/domains/db.server";
import { createSessionCookie } from "~/domains/auth/session.server";
import { action as availabilityAction } from "~/routes/schedule.availability";
import { action as editorAction } from "~/routes/teach.courses.$courseId._index";
import { enrol } from "~/domains/courses/courses.server";
import { getLessonForStudy, recordVideoPosition } from "~/domains/courses/lessons.server";
import { makeCourse, makeUser, requestAs } from "./fixtures";
import { bodyOf, settle, statusOf } from "./schools-fixtures";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

async function post(fn: (a: never) => Promise<unknown>, userId: string, path: string, fields: Array<[string, string]>, params: Record<string, string> = {}) {
  const body = new URLSearchParams(fields);
  const request = await requestAs(userId, `http://localhost${path}`, { method: "POST", body });
  return settle((fn as (a: unknown) => Promise<unknown>)({ request, params, context: {} }));
}

describe("availability", () => {
  it("the weekly form has no weekday ticked in advance", async () => {
    const expert = await makeUser("expert");
    const cookie = (await createSessionCookie(expert.id)).split(";")[0];
    const html = await (await fetch(`${server.url}/schedule/availability`, { headers: { Cookie: cookie, "Accept-Language": "en" } })).text();
    const boxes = [...html.matchAll(/<input[^>]*name="weekday"[^>]*type="checkbox"[^>]*>|<input[^>]*type="checkbox"[^>]*name="weekday"[^>]*>/g)].map((m) => m[0]);
    expect(boxes).toHaveLength(7);
    expect(boxes.filter((b) => /\schecked/.test(b))).toEqual([]);
  });

  it("refuses a window that overlaps one the expert already has on that day", async () => {
    const expert = await makeUser("expert");
    const add = (start: string, end: string, ...days: string[]) =>
      post(availabilityAction, expert.id, "/schedule/availability", [["intent", "add-window"], ["start", start], ["end", end], ...days.map((d) => ["weekday", d] as [string, string])]);
    expect((await add("09:00", "12:00", "1")).thrown?.status).toBe(302);
    for (const [s, e] of [["09:00", "12:00"], ["11:00", "13:00"], ["08:00", "09:30"]]) {
      const r = await add(s, e, "1", "0");
      expect(statusOf(r.value)).toBe(400);
      expect(bodyOf<{ error: Record<string, string[]> }>(r.value).error.weekday).toEqual(["errors.windowOverlap"]);
    }
    // Touching is not overlapping, and nothing of the refused ones (not even Sunday) was added.
    expect((await add("12:00", "14:00", "1")).thrown?.status).toBe(302);
    const rules = await prisma.availabilityRule.findMany({ where: { expertId: expert.id }, orderBy: { startMinute: "asc" } });
    expect(rules.map((r) => [r.weekday, r.startMinute, r.endMinute])).toEqual([
      [1, 540, 720],
      [1, 720, 840],
    ]);
  });

  it("refuses an exception on a date already past instead of saying 'saved'", async () => {
    const expert = await makeUser("expert");
    const yesterday = new Date(Date.now() - 2 * 86400_000).toISOString().slice(0, 10);
    const r = await post(availabilityAction, expert.id, "/schedule/availability", [["intent", "add-override"], ["date", yesterday], ["kind", "off"]]);
    expect(statusOf(r.value)).toBe(400);
    expect(bodyOf<{ error: Record<string, string[]> }>(r.value).error.date).toEqual(["errors.overrideInPast"]);
    expect(await prisma.availabilityOverride.count({ where: { expertId: expert.id } })).toBe(0);
    const later = new Date(Date.now() + 5 * 86400_000).toISOString().slice(0, 10);
    const ok = await post(availabilityAction, expert.id, "/schedule/availability", [["intent", "add-override"], ["date", later], ["kind", "off"]]);
    expect(ok.thrown?.status).toBe(302);
  });
});

describe("course editor", () => {
  it("asks before deleting a module that has lessons; an empty one goes at once", async () => {
    const owner = await makeUser("expert");
    const { course } = await makeCourse(owner.id);
    const path = `/teach/courses/${course.id}`;
    const moduleId = course.modules[0].id;
    const first = await post(editorAction, owner.id, path, [["intent", "deleteModule"], ["moduleId", moduleId]], { courseId: course.id });
    expect(bodyOf(first.value)).toMatchObject({ confirmDelete: { moduleId, title: "M1", lessons: 4 } });
    expect(await prisma.courseModule.count({ where: { id: moduleId } })).toBe(1);
    // Someone else cannot confirm it.
    const other = await makeUser("expert");
    const foreign = await post(editorAction, other.id, path, [["intent", "deleteModule"], ["moduleId", moduleId], ["confirm", "yes"]], { courseId: course.id });
    expect(foreign.thrown?.status).toBe(403);
    await post(editorAction, owner.id, path, [["intent", "deleteModule"], ["moduleId", moduleId], ["confirm", "yes"]], { courseId: course.id });
    expect(await prisma.courseModule.count({ where: { id: moduleId } })).toBe(0);

    const empty = await prisma.courseModule.create({ data: { courseId: course.id, title: "Empty", position: 5 } });
    const r = await post(editorAction, owner.id, path, [["intent", "deleteModule"], ["moduleId", empty.id]], { courseId: course.id });
    expect(bodyOf(r.value)).toMatchObject({ ok: "editor.moduleDeleted" });
    expect(await prisma.courseModule.count({ where: { id: empty.id } })).toBe(0);
  });

  it("a new lesson keeps the author on the outline", async () => {
    const owner = await makeUser("expert");
    const { course } = await makeCourse(owner.id);
    const r = await post(
      editorAction,
      owner.id,
      `/teach/courses/${course.id}`,
      [["intent", "addLesson"], ["moduleId", course.modules[0].id], ["title", "Grinding safety"], ["kind", "text"]],
      { courseId: course.id },
    );
    expect(r.thrown).toBeNull();
    expect(bodyOf(r.value)).toMatchObject({ ok: "editor.lessonAdded" });
    expect(await prisma.lesson.count({ where: { moduleId: course.modules[0].id, title: "Grinding safety" } })).toBe(1);
  });
});

describe("video lesson", () => {
  it("the lesson page gives the saved position to resume from", async () => {
    const owner = await makeUser("expert");
    const learner = await makeUser("learner");
    const { course, video } = await makeCourse(owner.id, { videoSeconds: 300 });
    await enrol(learner, course.id);
    const t0 = new Date();
    await recordVideoPosition(learner.id, video.id, 0, t0);
    await recordVideoPosition(learner.id, video.id, 40, new Date(t0.getTime() + 40_000));
    const page = await getLessonForStudy(learner, course.slug, video.id);
    expect(page.progress).toMatchObject({ videoPosition: 40, watchedSeconds: 40 });
  });
});
