// Who may see what on the school pages, proven through the route loaders and actions with
// real sessions: a school admin sees only their organisation; learners and experts get 403;
// platform admins see everything.
import { beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "~/domains/db.server";
import { loader as schoolLoader, action as schoolAction } from "~/routes/school._index";
import { loader as cohortLoader, action as cohortAction } from "~/routes/school.cohorts.$cohortId";
import { loader as exportLoader } from "~/routes/school.cohorts.$cohortId.export[.]csv";
import { loader as importLoader, action as importAction } from "~/routes/school.import";
import { loader as learnersLoader, action as learnersAction } from "~/routes/school.learners";
import { loader as invitationsLoader } from "~/routes/school.invitations";
import { loader as templateLoader } from "~/routes/school.import.template[.]csv";
import { loader as inviteLoader, action as inviteAction } from "~/routes/invite.$token";
import { dueAtFromDate } from "~/domains/schools/status";
import { assignCourse } from "~/domains/schools/assignments.server";
import { addLearner, bodyOf, formErrorsOf, makeCohort, makeCourse, makeOrg, makeUser, requestAs, resetSchoolTables, settle, statusOf } from "./schools-fixtures";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
type Action = (args: ActionFunctionArgs) => Promise<unknown>;

let A: Awaited<ReturnType<typeof makeOrg>>;
let B: Awaited<ReturnType<typeof makeOrg>>;
let cohortA: { id: string };
let cohortB: { id: string };
let learnerA: { id: string; name: string };
let learnerB: { id: string; name: string };
let learner: { id: string };
let expert: { id: string };
let platformAdmin: { id: string };
let course: Awaited<ReturnType<typeof makeCourse>>;

beforeAll(async () => {
  await resetSchoolTables();
  A = await makeOrg("Liangshan College A");
  B = await makeOrg("Other College B");
  cohortA = await makeCohort(A.org.id, "A 班");
  cohortB = await makeCohort(B.org.id, "B 班");
  learnerA = await addLearner(A.org.id, cohortA.id, "阿依 A");
  learnerB = await addLearner(B.org.id, cohortB.id, "木呷 B");
  learner = learnerA;
  expert = await makeUser("expert");
  platformAdmin = await makeUser("admin");
  course = await makeCourse({ lessons: 4, title: "焊接安全" });
  await assignCourse(A.admin, { cohortId: cohortA.id, courseId: course.id, dueAt: dueAtFromDate("2020-01-31")! });
  await assignCourse(B.admin, { cohortId: cohortB.id, courseId: course.id, dueAt: dueAtFromDate("2030-01-31")! });
  const lessons = course.modules[0].lessons;
  await prisma.lessonProgress.createMany({
    data: lessons.slice(0, 2).map((l) => ({ userId: learnerA.id, lessonId: l.id, completedAt: new Date() })),
  });
});

async function load(fn: Loader, userId: string | null, path: string, params: Record<string, string> = {}) {
  return settle(fn({ request: await requestAs(userId, path), params, context: {} }));
}

async function post(fn: Action, userId: string | null, path: string, body: FormData | URLSearchParams, params: Record<string, string> = {}) {
  return settle(fn({ request: await requestAs(userId, path, { method: "POST", body }), params, context: {} }));
}

const form = (fields: Record<string, string | string[]>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) f.append(k, x);
  return f;
};

describe("a school admin sees only their own organisation", () => {
  it("overview lists their organisation only", async () => {
    const { value } = await load(schoolLoader, A.admin.id, "/school");
    const orgs = bodyOf<{ orgs: Array<{ name: string; learnerCount: number }> }>(value).orgs;
    expect(orgs.map((o) => o.name)).toEqual(["Liangshan College A"]);
    expect(orgs[0].learnerCount).toBe(1);
  });

  it("their cohort page shows members and progress, with overdue marking; another organisation's cohort is a 404", async () => {
    const own = await load(cohortLoader, A.admin.id, `/school/cohorts/${cohortA.id}`, { cohortId: cohortA.id });
    const body = bodyOf<{ learners: Array<{ name: string; cells: Array<{ percent: number; status: string }> }>; assignments: Array<{ counts: Record<string, number> }> }>(own.value);
    expect(body.learners.map((l) => l.name)).toEqual(["阿依 A"]);
    expect(body.learners[0].cells[0]).toMatchObject({ percent: 50, status: "overdue" });
    expect(body.assignments[0].counts).toEqual({ completed: 0, inProgress: 0, notStarted: 0, overdue: 1 });

    const foreign = await load(cohortLoader, A.admin.id, `/school/cohorts/${cohortB.id}`, { cohortId: cohortB.id });
    expect(foreign.thrown?.status).toBe(404);
    const missing = await load(cohortLoader, A.admin.id, "/school/cohorts/nope", { cohortId: "nope" });
    expect(missing.thrown?.status).toBe(404);
  });

  it("the CSV export of their cohort works (UTF-8 BOM, Chinese names); another organisation's is a 404", async () => {
    const own = await load(exportLoader, A.admin.id, `/school/cohorts/${cohortA.id}/export.csv`, { cohortId: cohortA.id });
    const res = own.value as Response;
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toContain("attachment");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain("阿依 A");
    expect(text).toContain("焊接安全");
    expect(text.split("\r\n")[1]).toMatch(/,2,4,50,20,.*,Overdue$/);
    expect(text).not.toContain("木呷 B");

    const foreign = await load(exportLoader, A.admin.id, `/school/cohorts/${cohortB.id}/export.csv`, { cohortId: cohortB.id });
    expect(foreign.thrown?.status).toBe(404);
  });

  it("cannot change another organisation's cohort", async () => {
    const params = { cohortId: cohortB.id };
    const path = `/school/cohorts/${cohortB.id}`;
    const other = await makeCourse();
    for (const body of [
      form({ intent: "assign", courseId: other.id, dueDate: "2030-01-01" }),
      form({ intent: "addMembers", userId: learnerA.id }),
      form({ intent: "removeMember", userId: learnerB.id }),
    ]) {
      const r = await post(cohortAction, A.admin.id, path, body, params);
      expect(r.thrown?.status).toBe(404);
    }
    const assignment = await prisma.assignment.findFirstOrThrow({ where: { cohortId: cohortB.id } });
    expect((await post(cohortAction, A.admin.id, path, form({ intent: "unassign", assignmentId: assignment.id }), params)).thrown?.status).toBe(404);
    expect(await prisma.assignment.count({ where: { cohortId: cohortB.id } })).toBe(1);
    expect(await prisma.cohortMember.count({ where: { cohortId: cohortB.id } })).toBe(1);
    // Nor pull another organisation's learner into their own cohort.
    const pull = await post(cohortAction, A.admin.id, `/school/cohorts/${cohortA.id}`, form({ intent: "addMembers", userId: learnerB.id }), { cohortId: cohortA.id });
    expect(pull.thrown?.status).toBe(404);
  });

  it("assigns a published course to their cohort through the page", async () => {
    const extra = await makeCourse({ title: "电工基础" });
    const r = await post(cohortAction, A.admin.id, `/school/cohorts/${cohortA.id}`, form({ intent: "assign", courseId: extra.id, dueDate: "2031-05-01" }), { cohortId: cohortA.id });
    expect(bodyOf(r.value)).toMatchObject({ intent: "assign", error: null, initialValue: null });
    expect(await prisma.enrollment.findUnique({ where: { userId_courseId: { userId: learnerA.id, courseId: extra.id } } })).toMatchObject({ source: "assignment" });
    const bad = await post(cohortAction, A.admin.id, `/school/cohorts/${cohortA.id}`, form({ intent: "assign", courseId: extra.id, dueDate: "2031-02-30" }), { cohortId: cohortA.id });
    expect(statusOf(bad.value)).toBe(400);
  });

  it("the learner list holds their learners only, whatever the filters say", async () => {
    const own = bodyOf<{ learners: Array<{ name: string }> }>((await load(learnersLoader, A.admin.id, "/school/learners")).value);
    expect(own.learners.map((l) => l.name)).toEqual(["阿依 A"]);
    for (const q of [`?org=${B.org.id}`, `?cohort=${cohortB.id}`, "?q=木呷"]) {
      const filtered = bodyOf<{ learners: unknown[] }>((await load(learnersLoader, A.admin.id, `/school/learners${q}`)).value);
      expect(filtered.learners, q).toEqual([]);
    }
    const links = bodyOf<{ invitations: unknown[] }>((await load(invitationsLoader, A.admin.id, `/school/invitations?org=${B.org.id}`)).value);
    expect(links.invitations).toEqual([]);
  });

  it("an import or an invitation cannot target another organisation or its cohort", async () => {
    const before = await prisma.user.count();
    const csv = new File(["name,phone\n外校学员,13800138099\n"], "learners.csv", { type: "text/csv" });
    for (const target of [`cohort:${cohortB.id}`, `org:${B.org.id}`, "org:missing", "cohort:missing", ""]) {
      const upload = await post(importAction, A.admin.id, "/school/import", withFile(target, csv));
      expect(upload.thrown?.status, target).toBe(404);
      const apply = await post(importAction, A.admin.id, "/school/import", new URLSearchParams({ intent: "apply", target, sealed: "x" }));
      expect(apply.thrown?.status, target).toBe(404);
      const invite = await post(learnersAction, A.admin.id, "/school/learners", form({ intent: "invite", target, name: "外校学员", phone: "13800138099" }));
      expect(invite.thrown?.status, target).toBe(404);
    }
    expect(await prisma.user.count()).toBe(before);
  });

  it("imports into their own cohort through the two steps of the page", async () => {
    const csv = new File(["\uFEFF姓名,手机号\n新同学,13800138098\n"], "班级名单.csv", { type: "text/csv" });
    const step1 = await post(importAction, A.admin.id, "/school/import", withFile(`cohort:${cohortA.id}`, csv));
    const preview = bodyOf<{ stage: string; ok: boolean; sealed: string; counts: { new: number } }>(step1.value);
    expect(preview).toMatchObject({ stage: "preview", ok: true, counts: { new: 1 } });
    // Another admin cannot apply the sealed file.
    const stolen = await post(importAction, B.admin.id, "/school/import", new URLSearchParams({ intent: "apply", target: `org:${B.org.id}`, sealed: preview.sealed }));
    expect(bodyOf(stolen.value)).toEqual({ stage: "expired" });
    const step2 = await post(importAction, A.admin.id, "/school/import", new URLSearchParams({ intent: "apply", target: `cohort:${cohortA.id}`, sealed: preview.sealed, fileName: "班级名单.csv" }));
    const done = bodyOf<{ stage: string; learners: Array<{ name: string; url: string }> }>(step2.value);
    expect(done.stage).toBe("done");
    expect(done.learners[0].name).toBe("新同学");
    expect(done.learners[0].url).toMatch(/^http:\/\/localhost\/invite\/[\w-]{32}$/);
    const user = await prisma.user.findUniqueOrThrow({ where: { phone: "13800138098" }, include: { cohortMemberships: true, enrollments: true } });
    expect(user.cohortMemberships.map((c) => c.cohortId)).toEqual([cohortA.id]);
    expect(user.enrollments.length).toBeGreaterThan(0);
  });
});

describe("learners and experts cannot reach the school pages", () => {
  const pages: Array<[string, Loader, string, Record<string, string>?]> = [
    ["overview", schoolLoader, "/school"],
    ["learners", learnersLoader, "/school/learners"],
    ["import", importLoader, "/school/import"],
    ["invitation links", invitationsLoader, "/school/invitations"],
    ["template", templateLoader, "/school/import/template.csv"],
  ];
  it.each(["learner", "expert"] as const)("a %s gets 403 on every page, action and export", async (who) => {
    const userId = who === "learner" ? learner.id : expert.id;
    for (const [name, fn, path] of pages) {
      expect((await load(fn, userId, path)).thrown?.status, name).toBe(403);
    }
    expect((await load(cohortLoader, userId, `/school/cohorts/${cohortA.id}`, { cohortId: cohortA.id })).thrown?.status).toBe(403);
    expect((await load(exportLoader, userId, `/school/cohorts/${cohortA.id}/export.csv`, { cohortId: cohortA.id })).thrown?.status).toBe(403);
    expect((await post(cohortAction, userId, `/school/cohorts/${cohortA.id}`, form({ intent: "assign", courseId: course.id, dueDate: "2030-01-01" }), { cohortId: cohortA.id })).thrown?.status).toBe(403);
    expect((await post(schoolAction, userId, "/school", form({ intent: "createCohort", orgId: A.org.id, name: "x" }))).thrown?.status).toBe(403);
    expect((await post(learnersAction, userId, "/school/learners", form({ intent: "invite", target: `org:${A.org.id}`, name: "x", phone: "13800138097" }))).thrown?.status).toBe(403);
  });

  it("a visitor is sent to log in", async () => {
    const r = await load(schoolLoader, null, "/school");
    expect(r.thrown?.status).toBe(302);
    expect(r.thrown?.headers.get("Location")).toBe("/login?redirectTo=%2Fschool");
  });

  it("a school admin without an organisation sees none, and cannot create cohorts anywhere", async () => {
    const lonely = await makeUser("school_admin");
    expect(bodyOf<{ orgs: unknown[] }>((await load(schoolLoader, lonely.id, "/school")).value).orgs).toEqual([]);
    expect((await post(schoolAction, lonely.id, "/school", form({ intent: "createCohort", orgId: A.org.id, name: "偷建" }))).thrown?.status).toBe(404);
    expect((await post(schoolAction, A.admin.id, "/school", form({ intent: "createOrg", name: "自封学校", kind: "school" }))).thrown?.status).toBe(403);
  });
});

describe("platform admins see everything", () => {
  it("all organisations, any cohort page and export, all learners", async () => {
    const orgs = bodyOf<{ orgs: Array<{ name: string }> }>((await load(schoolLoader, platformAdmin.id, "/school")).value).orgs;
    expect(orgs.map((o) => o.name).sort()).toEqual(["Liangshan College A", "Other College B"]);
    for (const c of [cohortA, cohortB]) {
      expect((await load(cohortLoader, platformAdmin.id, `/school/cohorts/${c.id}`, { cohortId: c.id })).thrown).toBeNull();
      expect((await load(exportLoader, platformAdmin.id, `/school/cohorts/${c.id}/export.csv`, { cohortId: c.id })).value).toBeInstanceOf(Response);
    }
    const names = bodyOf<{ learners: Array<{ name: string }> }>((await load(learnersLoader, platformAdmin.id, "/school/learners")).value).learners.map((l) => l.name);
    expect(names).toEqual(expect.arrayContaining(["阿依 A", "木呷 B"]));
    const created = await post(schoolAction, platformAdmin.id, "/school", form({ intent: "createOrg", name: "新培训中心", kind: "training_centre", adminEmail: "" }));
    expect(created.thrown?.status).toBe(302);
    expect(await prisma.organization.count({ where: { name: "新培训中心", kind: "training_centre" } })).toBe(1);
  });
});

describe("the invitation page", () => {
  it("shows who is invited, sets the password, logs in, and works only once", async () => {
    const invited = await post(learnersAction, A.admin.id, "/school/learners", form({ intent: "invite", target: `cohort:${cohortA.id}`, name: "海来木呷", phone: "13800138096" }));
    const { url } = bodyOf<{ url: string }>(invited.value);
    const token = url.split("/invite/")[1];
    const page = await load(inviteLoader, null, `/invite/${token}`, { token });
    expect(bodyOf(page.value)).toMatchObject({ state: "valid", invitation: { name: "海来木呷", login: "138****8096", loginKind: "phone" } });

    const mismatch = await post(inviteAction, null, `/invite/${token}`, form({ password: "a-good-password", confirm: "another" }), { token });
    expect(formErrorsOf(mismatch.value)).toEqual(["invite.mismatch"]);
    expect(formErrorsOf(mismatch.value, "confirm")).toEqual(["invite.mismatch"]);
    // Passwords are never sent back.
    expect(JSON.stringify(bodyOf(mismatch.value))).not.toContain("a-good-password");
    const short = await post(inviteAction, null, `/invite/${token}`, form({ password: "short", confirm: "short" }), { token });
    expect(formErrorsOf(short.value, "password")).toEqual(["errors.passwordTooShort"]);

    const ok = await post(inviteAction, null, `/invite/${token}`, form({ password: "a-good-password", confirm: "a-good-password" }), { token });
    expect(ok.thrown?.status).toBe(302);
    expect(ok.thrown?.headers.get("Location")).toBe("/dashboard");
    expect(ok.thrown?.headers.get("Set-Cookie")).toMatch(/^auth_session=/);

    const again = await load(inviteLoader, null, `/invite/${token}`, { token });
    expect(statusOf(again.value)).toBe(410);
    const replay = await post(inviteAction, null, `/invite/${token}`, form({ password: "b-good-password", confirm: "b-good-password" }), { token });
    expect(statusOf(replay.value)).toBe(410);
    expect(statusOf((await load(inviteLoader, null, "/invite/unknown", { token: "unknown" })).value)).toBe(404);
  });
});

function withFile(target: string, file: File) {
  const f = new FormData();
  f.append("target", target);
  f.append("file", file);
  return f;
}
