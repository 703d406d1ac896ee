import { describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { addCoauthor, addLesson, enrol, getCoursePage, searchCatalogue, setCourseStatus, updateCourse } from "~/domains/courses/courses.server";
import { getLessonForStudy } from "~/domains/courses/lessons.server";
import { canReadAsset } from "~/domains/courses/media.server";
import { learnersVisibleToExpert } from "~/domains/courses/permissions.server";
import { loader as editorLoader } from "~/routes/teach.courses.$courseId._index";
import { makeCourse, makeUser, requestAs } from "./fixtures";

const input = { title: "T", summary: "", categoryId: "", level: "beginner" as const, language: "zh-CN" as const };

describe("only a course's own experts edit it", () => {
  it("owner and invited co-author may edit; another expert, a learner and a school admin may not", async () => {
    const owner = await makeUser("expert");
    const other = await makeUser("expert");
    const learner = await makeUser("learner");
    const school = await makeUser("school_admin");
    const admin = await makeUser("admin");
    const c = await makeCourse(owner.id);
    const data = { ...input, categoryId: c.course.categoryId };

    await updateCourse(owner, c.course.id, { ...data, title: "By owner" });
    for (const intruder of [other, learner, school]) {
      await expect(updateCourse(intruder, c.course.id, data)).rejects.toMatchObject({ status: 403 });
      await expect(addLesson(intruder, c.course.id, { moduleId: c.course.modules[0].id, title: "x", kind: "text" })).rejects.toMatchObject({ status: 403 });
    }
    await updateCourse(admin, c.course.id, { ...data, title: "By admin" });

    // Only the owner invites; then the co-author can edit.
    await expect(addCoauthor(other, c.course.id, other.email!)).rejects.toMatchObject({ status: 403 });
    await addCoauthor(owner, c.course.id, other.email!);
    await updateCourse(other, c.course.id, { ...data, title: "By co-author" });
    // A co-author cannot invite further.
    const third = await makeUser("expert");
    await expect(addCoauthor(other, c.course.id, third.email!)).rejects.toMatchObject({ status: 403 });
    // Learners cannot become co-authors.
    await expect(addCoauthor(owner, c.course.id, learner.email!)).rejects.toThrow("errors.coauthorNotExpert");
  });

  it("the editor page's loader refuses other experts and learners (real session cookies)", async () => {
    const owner = await makeUser("expert");
    const other = await makeUser("expert");
    const learner = await makeUser("learner");
    const c = await makeCourse(owner.id);
    const enrolled = await makeUser("learner", "Enrolled Learner");
    await enrol(enrolled, c.course.id);
    const call = async (userId: string | null) => {
      const request = await requestAs(userId, `http://localhost/teach/courses/${c.course.id}`);
      try {
        const data = await editorLoader({ request, params: { courseId: c.course.id }, context: {} });
        // The course's expert sees its learners and their progress.
        expect(data.learners.map((l) => l.user.name)).toEqual(["Enrolled Learner"]);
        expect(data.learners[0].progress).toMatchObject({ completed: 0, total: 4 });
        return 200;
      } catch (e) {
        return (e as Response).status;
      }
    };
    expect(await call(owner.id)).toBe(200);
    expect(await call(other.id)).toBe(403);
    expect(await call(learner.id)).toBe(403);
    expect(await call(null)).toBe(302);
  });
});

describe("learners see published courses and study only after enrolling", () => {
  it("drafts are invisible to learners and the catalogue, and cannot be published empty", async () => {
    const owner = await makeUser("expert");
    const learner = await makeUser("learner");
    const c = await makeCourse(owner.id, { status: "draft", title: "Secret draft" });
    await expect(getCoursePage(c.course.slug, learner)).rejects.toMatchObject({ status: 404 });
    await expect(getCoursePage(c.course.slug, null)).rejects.toMatchObject({ status: 404 });
    expect((await getCoursePage(c.course.slug, owner)).editor).toBe(true);
    expect((await searchCatalogue({ q: "Secret", category: "", level: "", page: 1 })).total).toBe(0);
    await expect(enrol(learner, c.course.id)).rejects.toMatchObject({ status: 404 });

    const empty = await prisma.course.create({
      data: { slug: `empty-${Date.now()}`, title: "Empty", categoryId: c.course.categoryId, authors: { create: { userId: owner.id, role: "owner" } } },
    });
    await expect(setCourseStatus(owner, empty.id, "published")).rejects.toThrow("errors.publishEmpty");
  });

  it("lesson content needs enrolment; files follow the same rule", async () => {
    const owner = await makeUser("expert");
    const learner = await makeUser("learner");
    const stranger = await makeUser("learner");
    const c = await makeCourse(owner.id);
    await expect(getLessonForStudy(learner, c.course.slug, c.text.id)).rejects.toMatchObject({ status: 403 });
    expect(await canReadAsset(learner, c.videoAsset.id)).toBe(false);
    expect(await canReadAsset(null, c.videoAsset.id)).toBe(false);
    await enrol(learner, c.course.id);
    expect((await getLessonForStudy(learner, c.course.slug, c.text.id)).lesson.html).toContain("<h1>hi</h1>");
    expect(await canReadAsset(learner, c.videoAsset.id)).toBe(true);
    expect(await canReadAsset(stranger, c.videoAsset.id)).toBe(false);
    // A lesson id of another course is not found through this course's slug.
    const other = await makeCourse(owner.id);
    await expect(getLessonForStudy(learner, c.course.slug, other.text.id)).rejects.toMatchObject({ status: 404 });
  });

  it("an expert sees only the learners of their own courses", async () => {
    const a = await makeUser("expert");
    const b = await makeUser("expert");
    const l1 = await makeUser("learner");
    const l2 = await makeUser("learner");
    const ca = await makeCourse(a.id);
    const cb = await makeCourse(b.id);
    await enrol(l1, ca.course.id);
    await enrol(l2, cb.course.id);
    expect(await learnersVisibleToExpert(a.id)).toEqual([l1.id]);
    expect(await learnersVisibleToExpert(b.id)).toEqual([l2.id]);
  });
});

