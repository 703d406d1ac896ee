import { describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { searchCatalogue } from "~/domains/courses/courses.server";
import { makeCourse, makeUser } from "./fixtures";

// A file of its own: the expectations list every course in the database.
describe("catalogue search", () => {
  it("matches Chinese and English words in titles, summaries and skill names", async () => {
    const owner = await makeUser("expert");
    const c1 = await makeCourse(owner.id, { title: "熔化极气体保护焊入门" });
    await prisma.course.update({ where: { id: c1.course.id }, data: { summary: "MAG welding for beginners", publishedAt: new Date() } });
    const c2 = await makeCourse(owner.id, { title: "CNC Turning" });
    await prisma.course.update({ where: { id: c2.course.id }, data: { summary: "数控车床编程", publishedAt: new Date() } });
    const q = (text: string) => searchCatalogue({ q: text, category: "", level: "", page: 1 }).then((r) => r.items.map((i) => i.id).sort());
    expect(await q("保护焊")).toEqual([c1.course.id]);
    expect(await q("welding")).toEqual([c1.course.id, c2.course.id].sort()); // c2 via its category "Welding"
    expect(await q("MAG beginners")).toEqual([c1.course.id]);
    expect(await q("数控")).toEqual([c2.course.id]);
    expect(await q("turning")).toEqual([c2.course.id]);
    expect(await q("焊接")).toEqual([c1.course.id, c2.course.id].sort()); // category name in Chinese
    expect(await q("plumbing")).toEqual([]);
  });
});
