// The demo seed's marking schemes (issue 11 "Demo data"): the welding course's plate butt weld
// and the CNC turning course's stepped shaft are stored, add up by the scheme rules, their
// judgement aspects carry four descriptors, and seeding again changes nothing.
import { describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { seedDemoData } from "../../prisma/seed";
import { toInput, treeInclude } from "~/domains/assessment/marking.server";
import { schemeMarks, validateScheme } from "~/domains/assessment/scheme";
import { DEMO_SCHEMES, STEPPED_SHAFT } from "~/domains/assessment/seed.server";

async function storedScheme(course: string, lesson: string) {
  const row = await prisma.lesson.findFirst({ where: { kind: "task", title: lesson, module: { course: { slug: course } } }, select: { markingScheme: { include: treeInclude } } });
  return row?.markingScheme ?? null;
}

describe("demo marking schemes", () => {
  it("the seed holds a valid scheme for the welding task and for the CNC turning task, once", async () => {
    await seedDemoData(prisma);
    expect(DEMO_SCHEMES.map((d) => d.course)).toEqual(["mag-welding-basics", "cnc-turning-fundamentals"]);
    for (const demo of DEMO_SCHEMES) {
      const stored = await storedScheme(demo.course, demo.lesson);
      expect(stored, `${demo.course}: scheme stored`).not.toBeNull();
      const input = toInput(stored!);
      expect(validateScheme(input), `${demo.course}: adds up`).toEqual([]);
      expect(schemeMarks(input)).toBe(100);
      expect(input.sections.reduce((a, s) => a + s.weighting, 0)).toBe(100);
      const aspects = input.sections.flatMap((s) => s.criteria.flatMap((c) => c.aspects));
      expect(aspects.some((a) => a.kind === "measurement") && aspects.some((a) => a.kind === "judgement")).toBe(true);
      for (const a of aspects.filter((x) => x.kind === "judgement")) expect(a.descriptors?.filter((d) => d.trim()).length, a.description).toBe(4);
      expect(stored!.passMark).toBe(demo.passMark);
    }
    // The CNC scheme is the one in the code, section by section.
    const cnc = toInput((await storedScheme("cnc-turning-fundamentals", "Practical: turn the shaft"))!);
    expect(cnc.sections.map((s) => [s.name, s.weighting])).toEqual(STEPPED_SHAFT.sections.map((s) => [s.name, s.weighting]));

    // Seeding again adds nothing.
    const before = { schemes: await prisma.markingScheme.count(), aspects: await prisma.schemeAspect.count() };
    await seedDemoData(prisma);
    expect({ schemes: await prisma.markingScheme.count(), aspects: await prisma.schemeAspect.count() }).toEqual(before);
    expect(before.schemes).toBe(2);
  }, 120_000);

  it("the validators would refuse the CNC scheme with a judgement aspect lacking a descriptor or a section off its weighting", () => {
    const broken = structuredClone(STEPPED_SHAFT);
    broken.sections[1].criteria[0].aspects[1].descriptors = ["a", "b", "c", ""];
    broken.sections[0].criteria[0].aspects[0].maxMark = 12;
    const codes = validateScheme(broken).map((i) => i.code);
    expect(codes).toContain("descriptorsRequired");
    expect(codes).toContain("sectionMismatch");
  });
});
