import { describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { enrol } from "~/domains/courses/courses.server";
import { submitTask } from "~/domains/courses/lessons.server";
import {
  assignMarker,
  learnerResult,
  markingQueue,
  markingView,
  releaseResult,
  replaceScheme,
  saveMark,
  schemeForEditor,
  submissionCode,
} from "~/domains/assessment/marking.server";
import { JUDGEMENT_DESCRIPTORS, makeCourse, makeUser, TWO_ASPECT_SCHEME } from "./fixtures";

const descriptors = JUDGEMENT_DESCRIPTORS;
const input = TWO_ASPECT_SCHEME;

async function setup(opts: { blind?: boolean } = {}) {
  const lead = await makeUser("expert", "Lead Expert");
  const learner = await makeUser("learner", "Lena Learner");
  const c = await makeCourse(lead.id);
  await enrol(learner, c.course.id);
  await replaceScheme(lead, c.task.id, input, { passMark: 60, blind: opts.blind ?? false });
  const markers = [await makeUser("expert"), await makeUser("expert"), await makeUser("expert")];
  for (const m of markers) await assignMarker(lead, c.task.id, m.id);
  const sub = await submitTask(learner.id, c.task.id, "my weld photos", null);
  const view = await markingView(markers[0], sub.id);
  const [measure, judge] = view.sections.flatMap((s) => s.criteria.flatMap((cr) => cr.aspects));
  return { lead, learner, c, markers, sub, measure, judge };
}

describe("marking", () => {
  it("refuses a learner, another course's expert and an unassigned marker", async () => {
    const { learner, sub, c, measure } = await setup();
    const stranger = await makeUser("expert");
    await makeCourse(stranger.id);
    const unassigned = await makeUser("expert");
    for (const who of [learner, stranger, unassigned]) {
      await expect(markingView(who, sub.id)).rejects.toMatchObject({ status: 403 });
      await expect(saveMark(who, sub.id, measure.id, { measured: 0.1, feedback: "" })).rejects.toMatchObject({ status: 403 });
      await expect(releaseResult(who, sub.id)).rejects.toMatchObject({ status: 403 });
      expect(await markingQueue(who)).toEqual([]);
    }
    await expect(schemeForEditor(stranger, c.course.id, c.task.id)).rejects.toMatchObject({ status: 403 });
    await expect(replaceScheme(stranger, c.task.id, input)).rejects.toMatchObject({ status: 403 });
    expect(await prisma.mark.count()).toBe(0);
  });

  it("the queue lists only the marker's assigned submissions; blind marking hides the name on the server", async () => {
    const { markers, sub } = await setup({ blind: true });
    const queue = await markingQueue(markers[0]);
    expect(queue.map((q) => q.id)).toEqual([sub.id]);
    expect(queue[0].learner).toBe(submissionCode(sub.id));
    const view = await markingView(markers[0], sub.id);
    expect(view.learner).toBe(submissionCode(sub.id));
    expect(JSON.stringify(view)).not.toContain("Lena");
  });

  it("a judgement spread > 1 blocks release until re-scored; both rounds are kept; release shows marks and completes the task", async () => {
    const { lead, learner, c, markers, sub, measure, judge } = await setup();
    // Handing in does not complete a marked task.
    expect(await prisma.lessonProgress.findFirst({ where: { userId: learner.id, lessonId: c.task.id, completedAt: { not: null } } })).toBeNull();
    expect(await learnerResult(learner.id, c.task.id)).toEqual({ status: "marking" });

    await saveMark(markers[0], sub.id, measure.id, { measured: 0.8, feedback: "0.8 mm over" });
    await saveMark(markers[0], sub.id, judge.id, { score: 1, feedback: "uneven" });
    await saveMark(markers[1], sub.id, judge.id, { score: 3, feedback: "fine" });
    await saveMark(markers[2], sub.id, judge.id, { score: 2, feedback: "" });
    const flagged = await markingView(markers[0], sub.id);
    expect(flagged.flagged).toBe(1);
    await expect(releaseResult(lead, sub.id)).rejects.toMatchObject({ status: 409 });

    // Re-score: entries go to round 2.
    await saveMark(markers[0], sub.id, judge.id, { score: 2, feedback: "re-scored", reason: "moderation" });
    await saveMark(markers[1], sub.id, judge.id, { score: 3, feedback: "" });
    await expect(releaseResult(lead, sub.id)).rejects.toMatchObject({ status: 409 }); // round 2 has two scores only
    await saveMark(markers[2], sub.id, judge.id, { score: 3, feedback: "" });
    expect(await prisma.mark.count({ where: { submissionId: sub.id, aspectId: judge.id, round: 1 } })).toBe(3);
    expect(await prisma.mark.count({ where: { submissionId: sub.id, aspectId: judge.id, round: 2 } })).toBe(3);
    expect(await prisma.markChange.count({ where: { mark: { submissionId: sub.id } } })).toBe(7);

    const released = await releaseResult(lead, sub.id, "Good work");
    expect(released).toEqual({ total: 20 + 53.33, passed: true });
    await expect(saveMark(markers[0], sub.id, measure.id, { measured: 0, feedback: "" })).rejects.toMatchObject({ status: 409 });

    const shown = await learnerResult(learner.id, c.task.id);
    expect(shown).toMatchObject({ status: "released", total: 73.33, max: 100, passed: true, feedback: "Good work" });
    if (shown?.status !== "released") throw new Error("not released");
    expect(shown.aspects.find((a) => a.id === judge.id)).toMatchObject({ mark: 53.33, descriptors, feedback: ["re-scored"] });
    expect(await prisma.notification.count({ where: { userId: learner.id, kind: "resultReleased" } })).toBe(1);
    expect(await prisma.lessonProgress.findFirst({ where: { userId: learner.id, lessonId: c.task.id, completedAt: { not: null } } })).not.toBeNull();
  });

  it("a released total below the pass mark does not complete the task", async () => {
    const { lead, learner, c, markers, sub, measure, judge } = await setup();
    await saveMark(markers[0], sub.id, measure.id, { measured: 3, feedback: "" });
    for (const m of markers) await saveMark(m, sub.id, judge.id, { score: 1, feedback: "" });
    expect(await releaseResult(lead, sub.id)).toEqual({ total: 20, passed: false });
    expect(await prisma.lessonProgress.findFirst({ where: { userId: learner.id, lessonId: c.task.id, completedAt: { not: null } } })).toBeNull();
  });

  it("bad entries are 400s, not saved", async () => {
    const { markers, sub, measure, judge } = await setup();
    await expect(saveMark(markers[0], sub.id, judge.id, { score: 4, feedback: "" })).rejects.toMatchObject({ status: 400 });
    await expect(saveMark(markers[0], sub.id, measure.id, { feedback: "" })).rejects.toMatchObject({ status: 400 });
    expect(await prisma.mark.count({ where: { submissionId: sub.id } })).toBe(0);
  });
});

describe("XLSX import/export", () => {
  it("round trip: export → import → the same scheme, saved", async () => {
    const { exportSchemeXlsx, importSchemeXlsx } = await import("~/domains/assessment/xlsx.server");
    const lead = await makeUser("expert");
    const c = await makeCourse(lead.id);
    await replaceScheme(lead, c.task.id, input);
    const saved = await schemeForEditor(lead, c.course.id, c.task.id);
    const bytes = await exportSchemeXlsx(saved.input!);
    const back = await importSchemeXlsx(bytes);
    expect(back).toEqual({ ok: true, scheme: input });
    const other = await makeCourse(lead.id);
    if (!back.ok) throw new Error("import failed");
    await replaceScheme(lead, other.task.id, back.scheme, undefined, "import");
    expect((await schemeForEditor(lead, other.course.id, other.task.id)).input).toEqual(input);
  });

  it("a broken file gives row-level errors and saves nothing", async () => {
    const ExcelJS = (await import("exceljs")).default;
    const { COLUMNS, importSchemeXlsx } = await import("~/domains/assessment/xlsx.server");
    const schemesBefore = await prisma.markingScheme.count();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Marking scheme");
    ws.addRow([...COLUMNS]);
    ws.addRow(["Dimensions", 40, "A", "Size", "M", "Length", 40, "", "", "", "", "bands: 0.5=1; 1=0.5"]);
    ws.addRow(["Visual", 60, "B", "Bead", "J", "Uniform bead", 60, "a", "b", "", "d", ""]);
    ws.addRow(["Visual", 60, "b1", "Bead", "X", "", "lots", "", "", "", "", ""]);
    const result = await importSchemeXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual({ row: 3, column: "Score 2", message: "Judgement descriptor for score 2 is empty" });
    expect(result.errors.filter((e) => e.row === 4).map((e) => e.column)).toEqual(["Criterion", "Type", "Aspect description", "Max mark"]);
    expect(await importSchemeXlsx(Buffer.from("not a zip"))).toMatchObject({ ok: false, errors: [{ row: 0 }] });
    expect(await prisma.markingScheme.count()).toBe(schemesBefore);
  });
});
