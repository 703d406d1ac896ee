// Two schools and one person: a school may only create and complete its OWN learners;
// adding anyone else takes that person's acceptance, and only by a verified e-mail or phone.
// (Issue 8, item 2: "A school takes over another school's learners".)
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { parseImportText } from "~/domains/schools/csv";
import { applyImport, inviteLearner, previewImport, resolveImportTarget, type ImportTarget } from "~/domains/schools/import.server";
import { acceptInvitation, findInvitation, NO_PASSWORD, renewInvitation } from "~/domains/schools/invitations.server";
import { decideJoinRequest, openJoinRequests, pendingJoinRequestFor } from "~/domains/schools/join-requests.server";
import { listLearners } from "~/domains/schools/learners.server";
import { cohortReport } from "~/domains/schools/cohorts.server";
import { assignCourse } from "~/domains/schools/assignments.server";
import { dueAtFromDate } from "~/domains/schools/status";
import { checkCharacter } from "~/domains/records/id-number";
import { idNumberLookupHash, mayWriteIdentity } from "~/domains/records/identity.server";
import { loader as joinLoader, action as joinAction } from "~/routes/join.$requestId";
import { action as inviteAction } from "~/routes/invite.$token";
import { makeCohort, makeCourse, makeOrg, makeUser, requestAs, resetSchoolTables, settle } from "./schools-fixtures";

const ID = ((b: string) => b + checkCharacter(b))("51343120060314101");

let A: Awaited<ReturnType<typeof makeOrg>>;
let B: Awaited<ReturnType<typeof makeOrg>>;
let targetA: ImportTarget;
let targetB: ImportTarget;

beforeEach(async () => {
  await resetSchoolTables();
  A = await makeOrg("A 学校");
  B = await makeOrg("B 学校");
  targetA = await resolveImportTarget(A.admin, A.org.id, null);
  targetB = await resolveImportTarget(B.admin, B.org.id, null);
});

async function activatedLearner(opts: { email?: string; phone?: string; emailVerified?: boolean; phoneVerified?: boolean }) {
  const user = await makeUser("learner", `自注册 ${Math.random().toString(36).slice(2, 6)}`, { email: opts.email, phone: opts.phone });
  return prisma.user.update({
    where: { id: user.id },
    data: { emailVerifiedAt: opts.emailVerified ? new Date() : null, phoneVerifiedAt: opts.phoneVerified ? new Date() : null },
  });
}

describe("another school's pending learner", () => {
  it("B importing or inviting A's pending learner's phone: no match, no link for B, A's link still works", async () => {
    const invited = await inviteLearner(targetA, { name: "吉克阿依", phone: "13800138000", idNumber: ID });
    if (!invited.ok) throw new Error(JSON.stringify(invited.errors));
    const tokenA = invited.learner.token!;
    const before = await prisma.invitation.findMany({ orderBy: { token: "asc" } });

    const imported = await applyImport(targetB, parseImportText("name,phone\n冒名,13800138000"));
    expect(imported.ok).toBe(false);
    const errors = imported.ok ? [] : imported.preview.errors;
    expect(errors).toEqual([{ line: 2, field: "phone", code: "notMatchable" }]); // nothing about the account
    const typed = await inviteLearner(targetB, { name: "冒名", phone: "138 0013 8000" });
    expect(typed).toEqual({ ok: false, errors: [{ line: 1, field: "phone", code: "notMatchable" }] });
    // …nor by the ID number A recorded.
    const byId = await inviteLearner(targetB, { name: "冒名", phone: "13900139000", idNumber: ID });
    expect(byId.ok === false && byId.errors.map((e) => e.code)).toEqual(["notMatchable"]);

    expect(await prisma.invitation.findMany({ orderBy: { token: "asc" } })).toEqual(before);
    expect(await prisma.membership.count({ where: { orgId: B.org.id, userId: invited.learner.userId } })).toBe(0);
    expect(await prisma.joinRequest.count()).toBe(0);
    await expect(renewInvitation(B.admin, B.org.id, invited.learner.userId)).rejects.toMatchObject({ status: 404 });
    expect((await findInvitation(tokenA)).state).toBe("valid");
    expect(await acceptInvitation(tokenA, "a-good-password")).toEqual({ ok: true, userId: invited.learner.userId });
  });

  it("a learner created by A who later joined B: B cannot renew (replace) A's link", async () => {
    const invited = await inviteLearner(targetA, { name: "沙马", phone: "13800138001" });
    if (!invited.ok) throw new Error("invite failed");
    await prisma.membership.create({ data: { orgId: B.org.id, userId: invited.learner.userId, role: "learner" } });
    await expect(renewInvitation(B.admin, B.org.id, invited.learner.userId)).rejects.toMatchObject({ status: 404 });
    expect((await findInvitation(invited.learner.token!)).state).toBe("valid");
    // B re-importing them (a member now) issues no link of B's either.
    const again = await applyImport(targetB, parseImportText("name,phone\n沙马,13800138001"));
    expect(again.ok && again.outcome.learners[0].token).toBeNull();
    expect(await prisma.invitation.count({ where: { orgId: B.org.id } })).toBe(0);
  });
});

describe("an activated learner with their own account", () => {
  it("an unverified e-mail or phone is never matched, per row, without saying whose it is", async () => {
    await activatedLearner({ email: "ayi@example.com", phone: "13700137000" });
    const preview = await previewImport(targetB, parseImportText("name,phone,email\n甲,13700137000,\n乙,,ayi@example.com\n丙,13600136000,"));
    expect(preview.ok).toBe(false);
    expect(preview.errors).toEqual([
      { line: 2, field: "phone", code: "notMatchable" },
      { line: 3, field: "email", code: "notMatchable" },
    ]);
  });

  it("B adding them by a verified phone sends a join request: not a member, no contact or progress, until they accept", async () => {
    const person = await activatedLearner({ email: "muga@example.com", phone: "13700137001", phoneVerified: true });
    const cohort = await makeCohort(B.org.id, "B 焊接班");
    const course = await makeCourse({ lessons: 2 });
    await assignCourse(B.admin, { cohortId: cohort.id, courseId: course.id, dueAt: dueAtFromDate("2030-01-31")! });
    await prisma.lessonProgress.create({ data: { userId: person.id, lessonId: course.modules[0].lessons[0].id, completedAt: new Date() } });
    const target = await resolveImportTarget(B.admin, B.org.id, cohort.id);

    const preview = await previewImport(target, parseImportText("name,phone\n学员,13700137001"));
    expect(preview.ok).toBe(true);
    expect(preview.counts).toMatchObject({ request: 1, existing: 0, new: 0 });
    const applied = await applyImport(target, parseImportText(`name,phone,id_number\n学员,13700137001,${ID}`));
    if (!applied.ok) throw new Error(JSON.stringify(applied.preview.errors));
    expect(applied.outcome).toMatchObject({ requested: 1, matched: 0, joinedOrganisation: 0, addedToCohorts: 0, enrolments: 0 });
    // The outcome says only what the row said: not the account's name or e-mail.
    expect(applied.outcome.learners[0]).toMatchObject({ name: "学员", email: null, token: null, requested: true });

    // Nothing of theirs is B's yet; nothing was written into their account.
    const untouched = await prisma.user.findUniqueOrThrow({ where: { id: person.id } });
    expect(untouched).toMatchObject({ idNumberHash: null, email: "muga@example.com" });
    expect(await prisma.membership.count({ where: { orgId: B.org.id, userId: person.id } })).toBe(0);
    expect(await prisma.cohortMember.count({ where: { cohortId: cohort.id } })).toBe(0);
    expect(await prisma.enrollment.count({ where: { userId: person.id } })).toBe(0);
    expect((await listLearners(B.admin)).learners).toEqual([]);
    const report = await cohortReport(B.admin, cohort.id);
    expect(report.learners).toEqual([]);
    expect(JSON.stringify(report)).not.toContain("muga@example.com");

    // B's own list of open requests shows what B's row said, nothing from the account.
    const open = await openJoinRequests(B.admin);
    expect(open.map((r) => [r.rowName, r.rowContact])).toEqual([["学员", "13700137001"]]);
    expect(JSON.stringify(open)).not.toContain("muga@example.com");
    expect(await openJoinRequests(A.admin)).toEqual([]);

    // They are told, and only they can open the request.
    const notice = await prisma.notification.findFirstOrThrow({ where: { userId: person.id, kind: "schoolJoinRequest" } });
    expect(notice.title).toContain("B 学校");
    const requestId = notice.url!.split("/").pop()!;
    expect(await pendingJoinRequestFor(B.admin.id, requestId)).toBeNull();
    const stranger = await activatedLearner({});
    const strangerPage = await settle(joinLoader({ request: await requestAs(stranger.id, `/join/${requestId}`), params: { requestId }, context: {} }));
    expect(strangerPage.thrown?.status).toBe(404);
    const strangerPost = await settle(
      joinAction({ request: await requestAs(stranger.id, `/join/${requestId}`, { method: "POST", body: new URLSearchParams({ decision: "accept" }) }), params: { requestId }, context: {} }),
    );
    expect(strangerPost.thrown?.status).toBe(404);
    expect(await prisma.membership.count({ where: { orgId: B.org.id } })).toBe(1); // only B's admin

    const page = await settle(joinLoader({ request: await requestAs(person.id, `/join/${requestId}`), params: { requestId }, context: {} }));
    expect(page.value).toMatchObject({ data: { orgName: "B 学校", cohortName: "B 焊接班" } });

    // Re-importing while it is pending notifies nobody twice.
    const again = await applyImport(target, parseImportText("name,phone\n学员,13700137001"));
    expect(again.ok).toBe(true);
    expect(await prisma.notification.count({ where: { userId: person.id } })).toBe(1);

    // Accepting: now a learner of B, in the class the row named, enrolled in its course.
    const accepted = await settle(
      joinAction({ request: await requestAs(person.id, `/join/${requestId}`, { method: "POST", body: new URLSearchParams({ decision: "accept" }) }), params: { requestId }, context: {} }),
    );
    expect(accepted.thrown?.status).toBe(302);
    expect((await listLearners(B.admin)).learners.map((l) => l.email)).toEqual(["muga@example.com"]);
    const after = await cohortReport(B.admin, cohort.id);
    expect(after.learners.map((l) => l.cells[0].completed)).toEqual([1]);
    expect(await decideJoinRequest(person.id, requestId, "decline")).toBe(false); // decided once
    expect(await openJoinRequests(B.admin)).toEqual([]);

    // B still cannot write identity fields into the account (it did not create it).
    const fill = await applyImport(target, parseImportText(`name,phone,id_number\n学员,13700137001,${ID}`));
    expect(fill.ok).toBe(true);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: person.id } })).idNumberHash).toBeNull();
  });

  it("two rows reaching the same verified person: no \"same person as line…\" (which links their details), one request", async () => {
    const person = await activatedLearner({ email: "two@example.com", phone: "13700137002", emailVerified: true, phoneVerified: true });
    const file = parseImportText("name,phone,email\n甲,,two@example.com\n乙,13700137002,");
    const preview = await previewImport(targetB, file);
    expect(preview.errors).toEqual([]);
    expect(preview.counts).toMatchObject({ request: 2 });
    const applied = await applyImport(targetB, file);
    expect(applied.ok).toBe(true);
    expect(await prisma.joinRequest.count({ where: { userId: person.id } })).toBe(1);
    expect(await prisma.notification.count({ where: { userId: person.id } })).toBe(1);
  });

  it("declining leaves them out; a school cannot write a phone or ID number into a foreign account it matched", async () => {
    const person = await activatedLearner({ email: "li@example.com", emailVerified: true });
    const applied = await applyImport(targetB, parseImportText(`name,phone,email,id_number\n李,13500135000,li@example.com,${ID}`));
    if (!applied.ok) throw new Error(JSON.stringify(applied.preview.errors));
    const account = await prisma.user.findUniqueOrThrow({ where: { id: person.id } });
    expect(account).toMatchObject({ phone: null, idNumberHash: null, idNumberCipher: null });
    const req = await prisma.joinRequest.findFirstOrThrow({ where: { userId: person.id } });
    expect(await decideJoinRequest(person.id, req.id, "decline")).toBe(true);
    expect(await prisma.membership.count({ where: { orgId: B.org.id, userId: person.id } })).toBe(0);
    expect(await prisma.user.count({ where: { idNumberHash: idNumberLookupHash(ID) } })).toBe(0);
  });
});

describe("who may write identity fields", () => {
  it("the owner, or the creating school while the person is still its learner", () => {
    const account = { id: "u1", createdByOrgId: "A", learnerOfOrgIds: ["A", "B"] };
    expect(mayWriteIdentity({ kind: "owner", userId: "u1" }, account)).toBe(true);
    expect(mayWriteIdentity({ kind: "owner", userId: "u2" }, account)).toBe(false);
    expect(mayWriteIdentity({ kind: "org", orgId: "A" }, account)).toBe(true);
    expect(mayWriteIdentity({ kind: "org", orgId: "B" }, account)).toBe(false);
    expect(mayWriteIdentity({ kind: "org", orgId: "A" }, { ...account, learnerOfOrgIds: ["B"] })).toBe(false);
    expect(mayWriteIdentity({ kind: "org", orgId: "A" }, { ...account, createdByOrgId: null })).toBe(false);
  });

  it("A completes its own pending learner (phone, ID number) but not one it did not create", async () => {
    const own = await inviteLearner(targetA, { name: "自己的", email: "own@example.com" });
    if (!own.ok) throw new Error("invite failed");
    const filled = await applyImport(targetA, parseImportText(`name,phone,email,id_number\n自己的,13300133000,own@example.com,${ID}`));
    expect(filled.ok).toBe(true);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: own.learner.userId } })).toMatchObject({ phone: "13300133000", idNumberHash: idNumberLookupHash(ID) });

    // Someone else's account that is already a member of A (joined by accepting): A cannot write.
    const joined = await activatedLearner({ email: "joined@example.com" });
    await prisma.membership.create({ data: { orgId: A.org.id, userId: joined.id, role: "learner" } });
    const tried = await applyImport(targetA, parseImportText("name,phone,email\n别人,13300133001,joined@example.com"));
    expect(tried.ok).toBe(true);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: joined.id } })).phone).toBeNull();
    expect(NO_PASSWORD).toBe("!no-password");
  });
});

describe("accepting an invitation link", () => {
  it("looks the token up before it reads (and hashes) the password: a wrong link is a 404 whatever the form", async () => {
    const post = async (token: string, body: Record<string, string>) =>
      settle(inviteAction({ request: await requestAs(null, `/invite/${token}`, { method: "POST", body: new URLSearchParams(body) }), params: { token }, context: {} }));
    // A too-short password would be a 400 if the form were checked first.
    const unknown = await post("no-such-token-0000000000000000", { password: "x", confirm: "y" });
    expect(unknown.value).toMatchObject({ init: { status: 404 } });
    const invited = await inviteLearner(targetA, { name: "阿果", phone: "13800138099" });
    if (!invited.ok) throw new Error("invite failed");
    await acceptInvitation(invited.learner.token!, "a-good-password");
    const spent = await post(invited.learner.token!, { password: "another-password", confirm: "another-password" });
    expect(spent.value).toMatchObject({ init: { status: 410 } });
    const stillTheirs = await prisma.user.findUniqueOrThrow({ where: { id: invited.learner.userId } });
    expect(stillTheirs.passwordHash).not.toBe(NO_PASSWORD);
  });

  it("limits accept attempts per client address before any look-up (30 per 15 minutes)", async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
    const post = async (token: string) =>
      settle(
        inviteAction({
          request: await requestAs(null, `/invite/${token}`, {
            method: "POST",
            headers: { "x-skillrelay-client-ip": ip },
            body: new URLSearchParams({ password: "a-good-password", confirm: "a-good-password" }),
          }),
          params: { token },
          context: {},
        }),
      );
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push(((await post(`guess-${i}-000000000000000000`)).value as { init: { status: number } }).init.status);
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses[30]).toBe(429);
    // Another address is not affected.
    const other = await settle(
      inviteAction({
        request: await requestAs(null, "/invite/x", { method: "POST", headers: { "x-skillrelay-client-ip": "198.51.100.7" }, body: new URLSearchParams({}) }),
        params: { token: "x" },
        context: {},
      }),
    );
    expect(other.value).toMatchObject({ init: { status: 404 } });
  });
});
