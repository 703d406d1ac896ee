// The marking-scheme editor (issue 11, decision 028) through the real server: the course's
// author builds, reorders and duplicates; nobody else changes anything; ids from another scheme
// are refused; the tree locks once marking starts; bad input is a 400 that saves nothing and
// gives the typed values back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app";
import { prisma } from "~/domains/db.server";
import { createSessionCookie } from "~/domains/auth/session.server";
import { enrol } from "~/domains/courses/courses.server";
import { submitTask } from "~/domains/courses/lessons.server";
import { assignMarker, markingView, replaceScheme, saveMark, schemeForEditor } from "~/domains/assessment/marking.server";
import { JUDGEMENT_DESCRIPTORS, makeCourse, makeUser, TWO_ASPECT_SCHEME } from "./fixtures";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

const cookieOf = async (userId: string) => (await createSessionCookie(userId)).split(";")[0];

async function post(userId: string, c: { course: { id: string }; task: { id: string } }, fields: Record<string, string | undefined>) {
  const body = Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
  const res = await fetch(`${server.url}/teach/courses/${c.course.id}/lessons/${c.task.id}/scheme`, {
    method: "POST",
    headers: { "Accept-Language": "en", Cookie: await cookieOf(userId), Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body),
    redirect: "manual",
  });
  return { status: res.status, body: await res.text() };
}

async function page(userId: string, c: { course: { id: string }; task: { id: string } }) {
  const res = await fetch(`${server.url}/teach/courses/${c.course.id}/lessons/${c.task.id}/scheme`, { headers: { "Accept-Language": "en", Cookie: await cookieOf(userId) } });
  return { status: res.status, body: await res.text() };
}

async function tree(lead: { id: string; role: "expert"; name: string }, c: { course: { id: string }; task: { id: string } }) {
  const e = await schemeForEditor(lead, c.course.id, c.task.id);
  return { scheme: e.scheme!, input: e.input!, issues: e.issues };
}

async function withScheme() {
  const lead = await makeUser("expert", "Lead Expert");
  const c = await makeCourse(lead.id);
  await replaceScheme(lead, c.task.id, { total: 100, tolerance: 0, sections: [] }, undefined, "create");
  return { lead: { ...lead, role: "expert" as const }, c };
}

const judgement = { kind: "judgement", description: "Uniform bead", maxMark: "60", d0: JUDGEMENT_DESCRIPTORS[0], d1: JUDGEMENT_DESCRIPTORS[1], d2: JUDGEMENT_DESCRIPTORS[2], d3: JUDGEMENT_DESCRIPTORS[3], mode: "binary", bands: "", perFault: "" };

describe("scheme editor", () => {
  it("the author builds a scheme by the forms until it adds up; every change is audited", async () => {
    const { lead, c } = await withScheme();
    expect((await post(lead.id, c, { intent: "addSection", name: "Dimensions", weighting: "40" })).status).toBe(200);
    expect((await post(lead.id, c, { intent: "addSection", name: "Visual", weighting: "60" })).status).toBe(200);
    let t = await tree(lead, c);
    const [dims, visual] = t.scheme.sections;
    expect(t.issues.map((i) => i.code)).toEqual(["emptySection", "sectionMismatch", "emptySection", "sectionMismatch", "totalMismatch"]);
    expect((await post(lead.id, c, { intent: "addCriterion", targetId: dims.id, code: "a", name: "Size" })).status).toBe(200);
    expect((await post(lead.id, c, { intent: "addCriterion", targetId: visual.id, code: "B", name: "Bead" })).status).toBe(200);
    t = await tree(lead, c);
    const [size, bead] = t.scheme.sections.map((s) => s.criteria[0]);
    expect(size.code).toBe("A");
    expect((await post(lead.id, c, { intent: "addAspect", targetId: size.id, kind: "measurement", description: "Length", maxMark: "40", mode: "bands", bands: "0.5=1; 1=0.5", perFault: "", d0: "", d1: "", d2: "", d3: "" })).status).toBe(200);
    // The page says exactly where it is off before the last aspect …
    const before = await page(lead.id, c);
    expect(before.body).toContain("Section 2 (Visual)");
    expect((await post(lead.id, c, { intent: "addAspect", targetId: bead.id, ...judgement })).status).toBe(200);
    t = await tree(lead, c);
    expect(t.issues).toEqual([]);
    expect(t.input).toEqual(TWO_ASPECT_SCHEME);
    expect((await page(lead.id, c)).body).toContain("The scheme adds up and can be used for marking.");
    const audit = await prisma.auditEntry.findMany({ where: { subjectId: t.scheme.id, action: { startsWith: "assessment.scheme.edit." } }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["addSection", "addSection", "addCriterion", "addCriterion", "addAspect", "addAspect"].map((i) => `assessment.scheme.edit.${i}`));
  });

  it("edit, move up/down, duplicate (descriptors and measurement copied) and delete", async () => {
    const { lead, c } = await withScheme();
    await replaceScheme(lead, c.task.id, TWO_ASPECT_SCHEME);
    let t = await tree(lead, c);
    const [dims, visual] = t.scheme.sections;
    expect((await post(lead.id, c, { intent: "moveUp", targetId: visual.id })).status).toBe(200);
    t = await tree(lead, c);
    expect(t.input.sections.map((s) => s.name)).toEqual(["Visual", "Dimensions"]);
    expect((await post(lead.id, c, { intent: "moveDown", targetId: t.scheme.sections[0].id })).status).toBe(200);
    t = await tree(lead, c);
    expect(t.input.sections.map((s) => s.name)).toEqual(["Dimensions", "Visual"]);

    const length = t.scheme.sections[0].criteria[0].aspects[0];
    const bead = t.scheme.sections[1].criteria[0].aspects[0];
    expect((await post(lead.id, c, { intent: "duplicate", targetId: length.id })).status).toBe(200);
    expect((await post(lead.id, c, { intent: "duplicate", targetId: (await tree(lead, c)).scheme.sections[1].criteria[0].aspects[0].id })).status).toBe(200);
    t = await tree(lead, c);
    expect(t.input.sections[0].criteria[0].aspects).toEqual([TWO_ASPECT_SCHEME.sections[0].criteria[0].aspects[0], TWO_ASPECT_SCHEME.sections[0].criteria[0].aspects[0]]);
    expect(t.input.sections[1].criteria[0].aspects[1]).toEqual({ kind: "judgement", description: "Uniform bead", maxMark: 60, descriptors: JUDGEMENT_DESCRIPTORS });
    expect(bead.id).not.toBe(t.scheme.sections[1].criteria[0].aspects[1].id);

    // Duplicating a criterion gives the next free code; a section keeps its whole tree.
    expect((await post(lead.id, c, { intent: "duplicate", targetId: t.scheme.sections[1].criteria[0].id })).status).toBe(200);
    expect((await post(lead.id, c, { intent: "duplicate", targetId: (await tree(lead, c)).scheme.sections[0].id })).status).toBe(200);
    t = await tree(lead, c);
    expect(t.input.sections[2].criteria.map((cr) => cr.code)).toEqual(["B", "C"]);
    expect(t.input.sections[1]).toEqual({ ...t.input.sections[0], name: "Dimensions (2)" });

    // Edit an aspect into deduction, a criterion, a section; delete one.
    const a = t.scheme.sections[0].criteria[0].aspects[1];
    expect((await post(lead.id, c, { intent: "editAspect", targetId: a.id, kind: "measurement", description: "Faults", maxMark: "10", mode: "deduction", perFault: "2", bands: "", d0: "", d1: "", d2: "", d3: "" })).status).toBe(200);
    expect((await post(lead.id, c, { intent: "editCriterion", targetId: t.scheme.sections[0].criteria[0].id, code: "A", name: "Sizes" })).status).toBe(200);
    expect((await post(lead.id, c, { intent: "editSection", targetId: t.scheme.sections[0].id, name: "Dims", weighting: "30" })).status).toBe(200);
    expect((await post(lead.id, c, { intent: "delete", targetId: (await tree(lead, c)).scheme.sections[1].id })).status).toBe(200);
    t = await tree(lead, c);
    expect(t.input.sections.map((s) => [s.name, s.weighting])).toEqual([["Dims", 30], ["Visual", 60]]);
    expect(t.input.sections[0].criteria[0]).toMatchObject({ name: "Sizes", aspects: [{ description: "Length" }, { kind: "measurement", description: "Faults", maxMark: 10, measurement: { mode: "deduction", perFault: 2 } }] });
  });

  it("another course's expert, a learner and the scheme's marker are refused; nothing changes", async () => {
    const { lead, c } = await withScheme();
    await replaceScheme(lead, c.task.id, TWO_ASPECT_SCHEME);
    const stranger = await makeUser("expert");
    await makeCourse(stranger.id);
    const learner = await makeUser("learner");
    await enrol(learner, c.course.id);
    const marker = await makeUser("expert");
    await assignMarker(lead, c.task.id, marker.id);
    const before = await tree(lead, c);
    const sectionId = before.scheme.sections[0].id;
    for (const who of [stranger, learner, marker]) {
      expect((await page(who.id, c)).status).toBe(403);
      for (const body of [{ intent: "addSection", name: "X", weighting: "10" }, { intent: "delete", targetId: sectionId }, { intent: "duplicate", targetId: sectionId }, { intent: "editSection", targetId: sectionId, name: "Hacked", weighting: "1" }]) {
        expect((await post(who.id, c, body)).status).toBe(403);
      }
    }
    expect((await tree(lead, c)).input).toEqual(before.input);
    expect(await prisma.auditEntry.count({ where: { subjectId: before.scheme.id, action: { startsWith: "assessment.scheme.edit." } } })).toBe(0);
  });

  it("someone else's ids in the form are refused (404), even the author's own other scheme", async () => {
    const { lead, c } = await withScheme();
    await replaceScheme(lead, c.task.id, TWO_ASPECT_SCHEME);
    const other = await withScheme();
    await replaceScheme(other.lead, other.c.task.id, TWO_ASPECT_SCHEME);
    const mine2 = await makeCourse(lead.id);
    await replaceScheme(lead, mine2.task.id, TWO_ASPECT_SCHEME);
    const foreign = [(await tree(other.lead, other.c)).scheme, (await tree(lead, mine2)).scheme];
    const before = await tree(lead, c);
    for (const s of foreign) {
      const aspect = s.sections[0].criteria[0].aspects[0];
      expect((await post(lead.id, c, { intent: "editAspect", targetId: aspect.id, ...judgement })).status).toBe(404);
      expect((await post(lead.id, c, { intent: "delete", targetId: aspect.id })).status).toBe(404);
      expect((await post(lead.id, c, { intent: "addAspect", targetId: s.sections[0].criteria[0].id, ...judgement })).status).toBe(404);
      expect((await post(lead.id, c, { intent: "duplicate", targetId: s.sections[0].id })).status).toBe(404);
    }
    // The right scheme but the wrong level: an aspect where a criterion is expected.
    expect((await post(lead.id, c, { intent: "addAspect", targetId: before.scheme.sections[0].criteria[0].aspects[0].id, ...judgement })).status).toBe(404);
    expect((await post(lead.id, c, { intent: "delete", targetId: "" })).status).toBe(400);
    expect((await post(lead.id, c, { intent: "delete", targetId: "../x" })).status).toBe(400);
    expect((await tree(lead, c)).input).toEqual(before.input);
    expect((await tree(other.lead, other.c)).input).toEqual(TWO_ASPECT_SCHEME);
  });

  it("bad input is a 400, saves nothing and gives the typed values back beside the errors", async () => {
    const { lead, c } = await withScheme();
    await replaceScheme(lead, c.task.id, TWO_ASPECT_SCHEME);
    const before = await tree(lead, c);
    const bead = before.scheme.sections[1].criteria[0];
    // A judgement aspect needs all four descriptors.
    const missing = await post(lead.id, c, { intent: "addAspect", targetId: bead.id, ...judgement, description: "Typed description kept", d2: "" });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain("Judgement aspects need all four descriptors.");
    expect(missing.body).toContain("Typed description kept");
    const bad = [
      { intent: "addSection", name: "", weighting: "10" },
      { intent: "addSection", name: "X", weighting: "150" },
      { intent: "addSection", name: "X".repeat(121), weighting: "10" },
      { intent: "addCriterion", targetId: before.scheme.sections[0].id, code: "1!", name: "x" },
      { intent: "addAspect", targetId: bead.id, ...judgement, maxMark: "0" },
      { intent: "addAspect", targetId: bead.id, ...judgement, kind: "measurement", mode: "bands", bands: "half" },
      { intent: "addAspect", targetId: bead.id, ...judgement, kind: "measurement", mode: "deduction", perFault: "" },
      { intent: "addAspect", targetId: bead.id, ...judgement, kind: "other" },
    ];
    for (const body of bad) expect((await post(lead.id, c, body)).status, JSON.stringify(body).slice(0, 80)).toBe(400);
    expect((await post(lead.id, c, { intent: "teleport", targetId: bead.id })).status).toBe(400);
    expect((await tree(lead, c)).input).toEqual(before.input);
    expect(await prisma.auditEntry.count({ where: { subjectId: before.scheme.id, action: { startsWith: "assessment.scheme.edit." } } })).toBe(0);
  });

  it("once marking has started the tree is locked (409) and the page has no editor", async () => {
    const { lead, c } = await withScheme();
    await replaceScheme(lead, c.task.id, TWO_ASPECT_SCHEME);
    const learner = await makeUser("learner");
    await enrol(learner, c.course.id);
    const marker = await makeUser("expert");
    await assignMarker(lead, c.task.id, marker.id);
    const sub = await submitTask(learner.id, c.task.id, "photos", null);
    const view = await markingView(marker, sub.id);
    const measure = view.sections[0].criteria[0].aspects[0];
    await saveMark(marker, sub.id, measure.id, { measured: 0.2, feedback: "" });
    const before = await tree(lead, c);
    for (const body of [{ intent: "addSection", name: "Late", weighting: "0" }, { intent: "delete", targetId: before.scheme.sections[0].id }, { intent: "moveDown", targetId: before.scheme.sections[0].id }]) {
      const res = await post(lead.id, c, body);
      expect(res.status).toBe(409);
      expect(res.body).toContain("Marking has started: the scheme can no longer change.");
    }
    const html = (await page(lead.id, c)).body;
    expect(html).toContain("Marking has started: the sections, criteria and aspects can no longer change.");
    expect(html).not.toContain('value="addSection"');
    expect((await tree(lead, c)).input).toEqual(before.input);
  });
});
