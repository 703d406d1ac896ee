// The printable marking forms, through the real routes, read back with pdftotext: the
// submission's form (assigned markers only; blind hides the name inside the PDF too) and the
// blank form of a task (the course's authors only), in English and Chinese.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { enrol } from "~/domains/courses/courses.server";
import { submitTask } from "~/domains/courses/lessons.server";
import { assignMarker, replaceScheme, submissionCode } from "~/domains/assessment/marking.server";
import type { SchemeInput } from "~/domains/assessment/scheme";
import { PLATE_BUTT_WELD } from "~/domains/assessment/seed.server";
import { markingFormPdf } from "~/domains/assessment/marking-form-pdf.server";
import { markingFormLimiter } from "~/domains/assessment/limits.server";
import { loader as submissionFormLoader } from "~/routes/marking.$submissionId.form[.]pdf";
import { loader as blankFormLoader } from "~/routes/teach.courses.$courseId.lessons.$lessonId.scheme.form[.]pdf";
import { makeCourse, makeUser, requestAs } from "./fixtures";

const descriptors = ["Cracks or undercut visible", "Uneven bead width", "Even bead, minor spatter", "Uniform bead, no spatter"];
const zhDescriptors = ["可见裂纹或咬边", "焊缝宽度不均", "焊缝均匀，少量飞溅", "焊缝均匀一致，无飞溅"];
// Enough aspects to need more than one page.
const manyMeasurements = Array.from({ length: 12 }, (_, i) => ({
  kind: "measurement" as const,
  description: `Plate length check ${i + 1}`,
  maxMark: 2.5,
  measurement: { mode: "bands" as const, bands: [{ upTo: 0.5, fraction: 1 }, { upTo: 1, fraction: 0.5 }] },
}));
const input: SchemeInput = {
  total: 100,
  tolerance: 0,
  sections: [
    {
      name: "Dimensions",
      weighting: 40,
      criteria: [
        { code: "A", name: "Size", aspects: manyMeasurements },
        { code: "B", name: "Safety", aspects: [{ kind: "measurement", description: "PPE worn throughout", maxMark: 4, measurement: { mode: "binary" } }, { kind: "measurement", description: "Spatter marks on the plate", maxMark: 6, measurement: { mode: "deduction", perFault: 2 } }] },
      ],
    },
    {
      name: "Visual inspection",
      weighting: 60,
      criteria: [
        { code: "C", name: "Bead", aspects: [{ kind: "judgement", description: "Uniform weld bead", maxMark: 36, descriptors }] },
        { code: "D", name: "焊缝外观", aspects: [{ kind: "judgement", description: "焊缝表面成形", maxMark: 24, descriptors: zhDescriptors }] },
      ],
    },
  ],
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-marking-form-"));
let files = 0;
/** The PDF's text as pdftotext reads it, and its page count. */
async function pdfText(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toBe("application/pdf");
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
  const file = path.join(dir, `form-${++files}.pdf`);
  fs.writeFileSync(file, bytes);
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  const pages = text.split("\f").filter((p) => p.trim()).length;
  return { text, pages, raw: bytes.toString("latin1") };
}

async function status(p: Promise<unknown>) {
  try {
    await p;
    return 200;
  } catch (err) {
    if (err instanceof Response) return err.status;
    throw err;
  }
}

async function setup(blind: boolean) {
  const lead = await makeUser("expert", "Lead Expert");
  const learner = await makeUser("learner", "Lena Learnerova");
  const c = await makeCourse(lead.id, { title: "Plate butt weld course" });
  await enrol(learner, c.course.id);
  await replaceScheme(lead, c.task.id, input, { passMark: 60, blind });
  const marker = await makeUser("expert", "Mark Marker");
  await assignMarker(lead, c.task.id, marker.id);
  const sub = await submitTask(learner.id, c.task.id, "my weld photos", null);
  return { lead, learner, c, marker, sub };
}

const submissionForm = async (userId: string | null, submissionId: string, lng = "en") =>
  submissionFormLoader({ request: await requestAs(userId, `http://localhost/marking/${submissionId}/form.pdf`, { headers: { "Accept-Language": lng } }), params: { submissionId }, context: {} });
const blankForm = async (userId: string | null, courseId: string, lessonId: string, lng = "en") =>
  blankFormLoader({ request: await requestAs(userId, `http://localhost/teach/courses/${courseId}/lessons/${lessonId}/scheme/form.pdf`, { headers: { "Accept-Language": lng } }), params: { courseId, lessonId }, context: {} });

describe("marking form PDF", () => {
  it("a marker's form for one hand-in lists every aspect, rule, descriptor, max mark and the total, page by page", async () => {
    const { c, marker, sub } = await setup(false);
    const { text, pages } = await pdfText(await submissionForm(marker.id, sub.id));
    for (const s of ["Marking form", "Plate butt weld course", "Do", "Lena Learnerova", submissionCode(sub.id), "Marker:", "Signature:", "Date:"]) expect(text).toContain(s);
    for (let i = 1; i <= 12; i++) expect(text).toMatch(new RegExp(`A${i}\\s+Plate length check ${i}\\b`));
    expect(text).toContain("Max 2.5");
    expect(text).toContain("up to 0.5 earns 2.5; up to 1 earns 1.25; beyond that 0");
    expect(text).toContain("All or nothing: 4 if met, otherwise 0");
    expect(text).toContain("2 off per fault, down to 0");
    expect(text).toMatch(/Awarded\s+Not awarded/);
    expect(text).toContain("Faults (number)");
    for (const d of [...descriptors, ...zhDescriptors]) expect(text).toContain(d);
    expect(text).toContain("Max 36");
    expect(text).toContain("Mark = 36 × mean of the markers' scores ÷ 3");
    expect(text).toContain("Subtotal section 1 (Dimensions)");
    expect(text).toMatch(/Subtotal section 2 \(Visual inspection\)\s+\/ 60/);
    expect(text).toMatch(/Total\s+\/ 100/);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    // An aspect never splits: each judgement block's four descriptors sit on one page.
    for (const page of text.split("\f")) {
      const found = descriptors.filter((d) => page.includes(d)).length;
      expect([0, 4]).toContain(found);
    }
    void c;
  });

  it("blind marking: the submission code only, the learner's name nowhere in the PDF", async () => {
    const { learner, marker, sub } = await setup(true);
    const { text, raw } = await pdfText(await submissionForm(marker.id, sub.id));
    expect(text).toContain(submissionCode(sub.id));
    expect(text).toContain("Blind marking");
    expect(text).not.toContain("Lena");
    expect(text).not.toContain(learner.name);
    expect(raw).not.toContain("Lena"); // nor in the document info
  });

  it("Chinese labels on a Chinese page", async () => {
    const { marker, sub } = await setup(false);
    const { text } = await pdfText(await submissionForm(marker.id, sub.id, "zh-CN"));
    for (const s of ["评分表", "课程", "学员", "评分员", "签名", "满分 36", "评分（勾选一项）", "总分", "第 1 页", "焊缝表面成形", zhDescriptors[3]]) expect(text).toContain(s);
  });

  it("the seeded plate butt weld scheme prints whole in Chinese: every aspect, descriptor and max mark", async () => {
    const lead = await makeUser("expert", "Lead Expert");
    const c = await makeCourse(lead.id, { title: "焊接基础" });
    await replaceScheme(lead, c.task.id, PLATE_BUTT_WELD);
    const { text, pages } = await pdfText(await blankForm(lead.id, c.course.id, c.task.id, "zh-CN"));
    // Long titles wrap beside the right-hand "kind · max" column, which pdftotext -layout
    // interleaves: compare without whitespace and without that column.
    const flat = text.replace(/\s+/g, "").replace(/(测量|评判)·满分[\d.]+/g, "");
    for (const a of PLATE_BUTT_WELD.sections.flatMap((s) => s.criteria.flatMap((c) => c.aspects))) expect(text).toContain(`${a.kind === "judgement" ? "评判" : "测量"} · 满分 ${a.maxMark}`);
    for (const [si, section] of PLATE_BUTT_WELD.sections.entries()) {
      expect(flat).toContain(`第${si + 1}部分：${section.name}`.replace(/\s+/g, ""));
      for (const criterion of section.criteria)
        for (const [ai, aspect] of criterion.aspects.entries()) {
          expect(flat).toContain(`${criterion.code}${ai + 1}${aspect.description}`.replace(/\s+/g, ""));
          for (const d of aspect.descriptors ?? []) expect(flat).toContain(d.replace(/\s+/g, ""));
        }
    }
    expect(text).toMatch(/总分\s+\/ 100/);
    expect(text).toContain(`第 ${pages} 页，共 ${pages} 页`);
    expect(text).not.toContain("尚未配平");
  });

  it("an aspect taller than a page flows onto the next page instead of cascading blank pages", async () => {
    const long = "Very long descriptor text. ".repeat(250);
    const pdf = await markingFormPdf(
      { course: "C", lesson: "L", learner: null, code: null, blind: false, scheme: { total: 10, tolerance: 0, sections: [{ name: "S", weighting: 100, criteria: [{ code: "A", name: "N", aspects: [{ kind: "judgement", description: "Huge", maxMark: 5, descriptors: [long, "second", "third", "fourth"] }, { kind: "measurement", description: "After", maxMark: 5, measurement: { mode: "binary" } }] }] }] } },
      { locale: "en", timeZone: "UTC" },
    );
    const { text, pages } = await pdfText(new Response(new Uint8Array(pdf), { headers: { "Content-Type": "application/pdf" } }));
    expect(pages).toBe(2);
    for (const s of ["A1 Huge", "fourth", "A2 After", "Page 2 of 2"]) expect(text).toContain(s);
    expect(text).toMatch(/Total\s+\/ 10/);
  });

  it("a user who has used up the forms of the window gets a 429 with Retry-After", async () => {
    const { marker, sub } = await setup(false);
    await markingFormLimiter.consume(marker.id, markingFormLimiter.points);
    const err = await submissionForm(marker.id, sub.id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Response);
    expect((err as Response).status).toBe(429);
    expect(Number((err as Response).headers.get("Retry-After"))).toBeGreaterThan(0);
    await markingFormLimiter.reset(marker.id);
    expect((await submissionForm(marker.id, sub.id)).status).toBe(200);
  });

  it("only the submission's assigned markers get its form", async () => {
    const { lead, learner, c, sub } = await setup(false);
    const other = await setup(false); // another task's marker
    const stranger = await makeUser("expert");
    for (const who of [learner, stranger, other.marker, lead]) expect(await status(submissionForm(who.id, sub.id))).toBe(403);
    expect(await status(submissionForm(other.marker.id, "nonexistent0000000000000"))).toBe(404);
    expect(await status(submissionForm(other.marker.id, "../../etc"))).toBe(400);
    const anon = await status(submissionForm(null, sub.id));
    expect([302, 303]).toContain(anon);
    void c;
  });

  it("the blank form: the course's authors only, no learner, every aspect and the total", async () => {
    const { lead, learner, marker, c } = await setup(true);
    const { text } = await pdfText(await blankForm(lead.id, c.course.id, c.task.id));
    expect(text).toContain("Marking form (blank)");
    expect(text).not.toContain("Lena");
    expect(text).toContain("Submission code:"); // blind: a line for the code, not the name
    expect(text).toMatch(/A12\s+Plate length check 12/);
    for (const d of descriptors) expect(text).toContain(d);
    expect(text).toMatch(/Total\s+\/ 100/);
    const zh = await pdfText(await blankForm(lead.id, c.course.id, c.task.id, "zh-CN"));
    expect(zh.text).toContain("评分表（空白）");

    const otherCourse = await makeCourse(lead.id);
    const stranger = await makeUser("expert");
    for (const who of [learner, marker, stranger]) expect(await status(blankForm(who.id, c.course.id, c.task.id))).toBe(403);
    // The lesson must belong to the course in the URL; a task without a scheme has no form.
    expect(await status(blankForm(lead.id, otherCourse.course.id, c.task.id))).toBe(404);
    expect(await status(blankForm(lead.id, otherCourse.course.id, otherCourse.task.id))).toBe(404);
    expect(await status(blankForm(lead.id, c.course.id, c.text.id))).toBe(404);
  });
});
