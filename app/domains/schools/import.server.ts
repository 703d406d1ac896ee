// Learner import (a CSV file, or one learner typed into the invite form): rows that passed
// csv.ts are matched against existing accounts, then applied all-or-nothing in one
// transaction.
//
// Rules:
// - A row matches an existing account by e-mail, phone or ID number (keyed hash). Matching
//   two different accounts, a staff account, or an account whose stored e-mail/phone/ID
//   differs from the row is an error. A matched account keeps its name.
// - Which accounts may be matched, and how (ownership.server.ts): the school's own
//   not-yet-activated learners and its members as before; anyone else only by an e-mail or
//   phone they verified, and then the row sends a join request (status "request") instead of
//   adding them: no membership, cohort, enrolment or link until the person accepts. An
//   unverified match is refused per row ("notMatchable") and says nothing about the account.
// - Empty identity fields of a matched account are filled from the row only when the school
//   may write them (mayWriteIdentity: the school that created the account).
// - Cohort column: a cohort of this organisation, matched by name ignoring case; a name the
//   organisation does not have yet creates that cohort (the preview lists them). An empty cell
//   means the cohort chosen on the form, or no cohort.
// - Every row joins the organisation as a learner and its cohort; members get enrolled in the
//   cohort's assigned courses; accounts without a password get an invitation link.
// - Re-importing the same file matches every row to the accounts the first import created:
//   no duplicate users, memberships, cohort members, enrolments or invitations.
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { idNumberLookupHash, mayWriteIdentity, protectIdNumber } from "~/domains/records/identity.server";
import { createNotices, deliver } from "~/domains/notifications/notify.server";
import type { MailMessage } from "~/domains/notifications/mail.server";
import { relationTo, type MatchVia } from "./ownership.server";
import { isRecordId } from "./ids";
import { canAdministerOrg, ORG_UNVERIFIED } from "./permissions.server";
import { enrollInCohortAssignments } from "./assignments.server";
import { ensureInvitations, hasPassword, NO_PASSWORD } from "./invitations.server";
import { validateRow, type FileError, type ImportRow, type ParsedImport, type RowError } from "./csv";

type Db = Prisma.TransactionClient;

/** new: a new account; existing: the school's own pending account; member: already here; request: a join request to someone else's account. */
export type RowStatus = "new" | "existing" | "member" | "request";

export interface RowPlan {
  row: ImportRow;
  status: RowStatus;
  userId: string | null;
  /** The cohort the row joins (existing or to be created), or null. */
  cohortName: string | null;
  cohortIsNew: boolean;
}

export interface ImportTarget {
  orgId: string;
  /** Who imports (recorded on join requests). */
  actorId: string;
  orgName: string;
  defaultCohort: { id: string; name: string } | null;
}

/**
 * The organisation (and optional default cohort) an import writes to. Anything the actor
 * does not administer is a 404, like the pages: another school's ids reveal nothing.
 */
export async function resolveImportTarget(
  actor: Pick<AuthUser, "id" | "role">,
  orgId: string | null | undefined,
  cohortId: string | null | undefined,
): Promise<ImportTarget> {
  const notFound = () => new Response("Not found", { status: 404 });
  if (!orgId || !(await canAdministerOrg(actor, orgId))) throw notFound();
  const org = await prisma.organization.findUnique({ where: { id: orgId }, select: { id: true, name: true, verifiedAt: true } });
  if (!org) throw notFound();
  // Only an organisation a platform admin verified may bring learners in (issue 10).
  if (!org.verifiedAt) throw new Response(ORG_UNVERIFIED, { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  let defaultCohort: ImportTarget["defaultCohort"] = null;
  if (cohortId) {
    if (!isRecordId(cohortId)) throw notFound();
    const cohort = await prisma.cohort.findUnique({ where: { id: cohortId }, select: { id: true, name: true, orgId: true } });
    if (!cohort || cohort.orgId !== org.id) throw notFound();
    defaultCohort = { id: cohort.id, name: cohort.name };
  }
  return { orgId: org.id, actorId: actor.id, orgName: org.name, defaultCohort };
}

/** A target chosen in the form: "org:<id>" (no cohort) or "cohort:<id>". */
export async function resolveTargetValue(actor: Pick<AuthUser, "id" | "role">, value: FormDataEntryValue | null | undefined) {
  const v = typeof value === "string" ? value : "";
  if (v.startsWith("org:")) return resolveImportTarget(actor, v.slice(4), null);
  if (v.startsWith("cohort:")) {
    if (!isRecordId(v.slice(7))) throw new Response("Not found", { status: 404 });
    const cohort = await prisma.cohort.findUnique({ where: { id: v.slice(7) }, select: { id: true, orgId: true } });
    return resolveImportTarget(actor, cohort?.orgId, cohort?.id ?? v.slice(7));
  }
  throw new Response("Not found", { status: 404 });
}

interface Analysis {
  plans: RowPlan[];
  errors: RowError[];
  newCohorts: string[];
}

async function analyze(db: Db, target: ImportTarget, rows: ImportRow[]): Promise<Analysis> {
  const emails = rows.flatMap((r) => (r.email ? [r.email] : []));
  const phones = rows.flatMap((r) => (r.phone ? [r.phone] : []));
  const hashOf = new Map(rows.flatMap((r) => (r.idNumber ? [[r.line, idNumberLookupHash(r.idNumber)] as const] : [])));
  const hashes = [...hashOf.values()];
  const or: Prisma.UserWhereInput[] = [];
  if (emails.length) or.push({ email: { in: emails } });
  if (phones.length) or.push({ phone: { in: phones } });
  if (hashes.length) or.push({ idNumberHash: { in: hashes } });
  const users = or.length
    ? await db.user.findMany({
        where: { OR: or },
        select: {
          id: true,
          email: true,
          phone: true,
          idNumberHash: true,
          role: true,
          passwordHash: true,
          createdByOrgId: true,
          emailVerifiedAt: true,
          phoneVerifiedAt: true,
          memberships: { where: { orgId: target.orgId }, select: { role: true } },
        },
      })
    : [];
  const byEmail = new Map(users.filter((u) => u.email).map((u) => [u.email!, u]));
  const byPhone = new Map(users.filter((u) => u.phone).map((u) => [u.phone!, u]));
  const byHash = new Map(users.filter((u) => u.idNumberHash).map((u) => [u.idNumberHash!, u]));

  const existingCohorts = await db.cohort.findMany({ where: { orgId: target.orgId }, select: { name: true } });
  const cohortByKey = new Map(existingCohorts.map((c) => [c.name.toLowerCase(), c.name]));
  const newCohorts = new Map<string, string>();

  const errors: RowError[] = [];
  const plans: RowPlan[] = [];
  const lineOfUser = new Map<string, number>();
  for (const row of rows) {
    const rowErrors: RowError[] = [];
    const hash = hashOf.get(row.line);
    const found = [
      { via: "email" as MatchVia, user: row.email ? byEmail.get(row.email) : undefined },
      { via: "phone" as MatchVia, user: row.phone ? byPhone.get(row.phone) : undefined },
      { via: "idNumber" as MatchVia, user: hash ? byHash.get(hash) : undefined },
    ].filter((m): m is { via: MatchVia; user: (typeof users)[number] } => m.user !== undefined);
    const distinct = [...new Map(found.map((m) => [m.user.id, m.user])).values()];
    let user: (typeof users)[number] | null = null;
    let status: RowStatus = "new";
    if (distinct.length > 1) {
      rowErrors.push({ line: row.line, code: "identityConflict" });
    } else if (distinct.length === 1) {
      user = distinct[0];
      const via = found.map((m) => m.via);
      const relation = relationTo(target.orgId, user, via);
      status = relation === "member" ? "member" : relation === "own" ? "existing" : "request";
      if (relation === "foreignUnverified") {
        // Someone else's account, matched by a detail its owner has not proven: never
        // matched, and nothing about it (role, other fields) is compared or shown.
        rowErrors.push({ line: row.line, field: via[0] === "idNumber" ? "idNumber" : via[0], code: "notMatchable" });
      } else if (user.role !== "learner") rowErrors.push({ line: row.line, code: "notALearner" });
      else if (relation !== "foreignVerified") {
        // (Another person's account is not compared field by field: that would tell the
        // school what the account holds. Their join request carries nothing from the row.)
        if (row.email && user.email && user.email !== row.email) rowErrors.push({ line: row.line, field: "email", code: "emailMismatch", value: row.email });
        if (row.phone && user.phone && user.phone !== row.phone) rowErrors.push({ line: row.line, field: "phone", code: "phoneMismatch", value: row.phone });
        if (hash && user.idNumberHash && user.idNumberHash !== hash) rowErrors.push({ line: row.line, field: "idNumber", code: "idMismatch" });
      }
      // Not for someone else's account: "same person as line 2" would tell the school that
      // two of its details (an e-mail and a phone) belong together. Two rows reaching the
      // same person make one request.
      const foreign = relation === "foreignUnverified" || relation === "foreignVerified";
      const earlier = foreign ? undefined : lineOfUser.get(user.id);
      if (earlier !== undefined) rowErrors.push({ line: row.line, code: "samePersonInFile", otherLine: earlier });
      else if (!foreign) lineOfUser.set(user.id, row.line);
    }

    let cohortName: string | null = null;
    let cohortIsNew = false;
    if (row.cohort) {
      const key = row.cohort.toLowerCase();
      const existing = cohortByKey.get(key);
      if (existing) cohortName = existing;
      else {
        if (!newCohorts.has(key)) newCohorts.set(key, row.cohort);
        cohortName = newCohorts.get(key)!;
        cohortIsNew = true;
      }
    } else if (target.defaultCohort) {
      cohortName = target.defaultCohort.name;
    }

    errors.push(...rowErrors);
    if (rowErrors.length === 0) {
      plans.push({ row, status, userId: user?.id ?? null, cohortName, cohortIsNew });
    }
  }
  return { plans, errors, newCohorts: [...newCohorts.values()] };
}

export interface ImportPreview {
  ok: boolean;
  fileError: FileError | null;
  errors: RowError[];
  plans: RowPlan[];
  newCohorts: string[];
  counts: { rows: number; new: number; existing: number; member: number; request: number };
}

function summarize(parsed: ParsedImport, analysis: Analysis | null): ImportPreview {
  const errors = [...parsed.errors, ...(analysis?.errors ?? [])].sort((a, b) => a.line - b.line);
  const plans = analysis?.plans ?? [];
  const count = (s: RowStatus) => plans.filter((p) => p.status === s).length;
  return {
    ok: !parsed.fileError && errors.length === 0,
    fileError: parsed.fileError,
    errors,
    plans,
    newCohorts: analysis?.newCohorts ?? [],
    counts: { rows: parsed.rows.length + new Set(parsed.errors.map((e) => e.line)).size, new: count("new"), existing: count("existing"), member: count("member"), request: count("request") },
  };
}

/** What applying would do, and every problem, without writing anything. */
export async function previewImport(target: ImportTarget, parsed: ParsedImport): Promise<ImportPreview> {
  if (parsed.fileError) return summarize(parsed, null);
  return summarize(parsed, await analyze(prisma, target, parsed.rows));
}

export interface ImportOutcome {
  created: number;
  matched: number;
  joinedOrganisation: number;
  addedToCohorts: number;
  createdCohorts: string[];
  enrolments: number;
  /** Join requests sent to people with their own accounts (they are not added until they accept). */
  requested: number;
  /**
   * Per row, in file order: the account and its pending invitation (null once it has a
   * password). For a join request, only what the row said (nothing from the account).
   */
  learners: Array<{ line: number; userId: string; name: string; email: string | null; phone: string | null; token: string | null; expiresAt: Date | null; requested: boolean }>;
}

export type ApplyResult = { ok: true; outcome: ImportOutcome } | { ok: false; preview: ImportPreview };

class Rejected extends Error {
  constructor(public preview: ImportPreview) {
    super("import rejected");
  }
}

/**
 * Validates again inside one transaction and writes everything, or nothing: any bad row
 * (or a concurrent change that breaks a unique rule) rolls the whole import back.
 */
export async function applyImport(target: ImportTarget, parsed: ParsedImport, now = new Date()): Promise<ApplyResult> {
  if (parsed.fileError || parsed.errors.length) return { ok: false, preview: summarize(parsed, null) };
  try {
    const outcome = await prisma.$transaction(
      async (tx) => {
        const analysis = await analyze(tx, target, parsed.rows);
        if (analysis.errors.length) throw new Rejected(summarize(parsed, analysis));
        return write(tx, target, analysis, now);
      },
      { timeout: 120_000, maxWait: 15_000 },
    );
    deliver(outcome.mails);
    const { mails: _sent, ...rest } = outcome;
    return { ok: true, outcome: rest };
  } catch (err) {
    if (err instanceof Rejected) return { ok: false, preview: err.preview };
    if ((err as { code?: string }).code === "P2002") {
      return { ok: false, preview: { ...summarize(parsed, null), ok: false, fileError: { code: "concurrentChange" } } };
    }
    throw err;
  }
}

async function write(tx: Db, target: ImportTarget, analysis: Analysis, now: Date): Promise<ImportOutcome & { mails: MailMessage[] }> {
  // Cohorts first (the new ones), then accounts, memberships, cohort members, enrolments, links.
  const createdCohorts: string[] = [];
  for (const name of analysis.newCohorts) {
    await tx.cohort.create({ data: { orgId: target.orgId, name } });
    createdCohorts.push(name);
  }
  const cohorts = await tx.cohort.findMany({ where: { orgId: target.orgId }, select: { id: true, name: true } });
  const cohortIdByName = new Map(cohorts.map((c) => [c.name, c.id]));

  let created = 0;
  let matched = 0;
  const userIdOfLine = new Map<number, string>();
  const requests: Array<{ line: number; userId: string; cohortId: string | null; rowName: string; rowContact: string }> = [];
  for (const plan of analysis.plans) {
    const { row } = plan;
    if (plan.status === "request") {
      requests.push({
        line: row.line,
        userId: plan.userId!,
        cohortId: plan.cohortName ? cohortIdByName.get(plan.cohortName)! : null,
        rowName: row.name,
        rowContact: [row.phone, row.email].filter(Boolean).join(" · "),
      });
      continue;
    }
    const id = row.idNumber ? protectIdNumber(row.idNumber) : null;
    if (!plan.userId) {
      const user = await tx.user.create({
        data: { name: row.name, email: row.email, phone: row.phone, role: "learner", passwordHash: NO_PASSWORD, createdByOrgId: target.orgId, ...(id ?? {}) },
        select: { id: true },
      });
      userIdOfLine.set(row.line, user.id);
      created++;
    } else {
      // Fill what the account lacks, if this school may write its identity; never
      // overwrite (mismatches were rejected above).
      const current = await tx.user.findUniqueOrThrow({
        where: { id: plan.userId },
        select: { id: true, email: true, phone: true, idNumberHash: true, createdByOrgId: true, memberships: { where: { role: "learner" }, select: { orgId: true } } },
      });
      const account = { ...current, learnerOfOrgIds: plan.status === "existing" ? [target.orgId] : current.memberships.map((m) => m.orgId) };
      if (mayWriteIdentity({ kind: "org", orgId: target.orgId }, account)) {
        const fill: Prisma.UserUpdateInput = {};
        if (row.email && !current.email) fill.email = row.email;
        if (row.phone && !current.phone) fill.phone = row.phone;
        if (id && !current.idNumberHash) Object.assign(fill, id);
        if (Object.keys(fill).length) await tx.user.update({ where: { id: plan.userId }, data: fill });
      }
      userIdOfLine.set(row.line, plan.userId);
      matched++;
    }
  }
  const mails = await sendJoinRequests(tx, target, requests, now);

  const userIds = [...userIdOfLine.values()];
  const joinedOrganisation = (
    await tx.membership.createMany({ data: userIds.map((userId) => ({ orgId: target.orgId, userId, role: "learner" as const })), skipDuplicates: true })
  ).count;

  const memberRows = analysis.plans.flatMap((p) =>
    p.cohortName && p.status !== "request" ? [{ cohortId: cohortIdByName.get(p.cohortName)!, userId: userIdOfLine.get(p.row.line)! }] : [],
  );
  const addedToCohorts = (await tx.cohortMember.createMany({ data: memberRows, skipDuplicates: true })).count;
  let enrolments = 0;
  const enrolmentMails: MailMessage[] = [];
  for (const cohortId of new Set(memberRows.map((m) => m.cohortId))) {
    enrolments += await enrollInCohortAssignments(
      tx,
      cohortId,
      memberRows.filter((m) => m.cohortId === cohortId).map((m) => m.userId),
      enrolmentMails,
    );
  }

  const invitations = await ensureInvitations(tx, target.orgId, userIds, now);
  const accounts = await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true, phone: true, passwordHash: true } });
  const accountById = new Map(accounts.map((a) => [a.id, a]));
  const learners = analysis.plans.map((p) => {
    if (p.status === "request") {
      const { row } = p;
      return { line: row.line, userId: p.userId!, name: row.name, email: row.email, phone: row.phone, token: null, expiresAt: null, requested: true };
    }
    const userId = userIdOfLine.get(p.row.line)!;
    const a = accountById.get(userId)!;
    const inv = hasPassword(a) ? undefined : invitations.get(userId);
    return { line: p.row.line, userId, name: a.name, email: a.email, phone: a.phone, token: inv?.token ?? null, expiresAt: inv?.expiresAt ?? null, requested: false };
  });
  return { created, matched, joinedOrganisation, addedToCohorts, createdCohorts, enrolments, requested: requests.length, learners, mails: [...mails, ...enrolmentMails] };
}

/**
 * Asks each person to join (or asks again after a decline, or after they left). A request
 * that is already pending is left alone, so re-importing the file notifies nobody twice.
 */
async function sendJoinRequests(tx: Db, target: ImportTarget, requests: Array<{ userId: string; cohortId: string | null; rowName: string; rowContact: string }>, now: Date) {
  const notices = [];
  for (const r of requests) {
    const before = await tx.joinRequest.findUnique({ where: { orgId_userId: { orgId: target.orgId, userId: r.userId } }, select: { status: true } });
    const saved = await tx.joinRequest.upsert({
      where: { orgId_userId: { orgId: target.orgId, userId: r.userId } },
      create: { orgId: target.orgId, userId: r.userId, cohortId: r.cohortId, rowName: r.rowName, rowContact: r.rowContact, requestedById: target.actorId, createdAt: now },
      update:
        before?.status === "pending"
          ? { cohortId: r.cohortId, rowName: r.rowName, rowContact: r.rowContact }
          : { status: "pending", cohortId: r.cohortId, rowName: r.rowName, rowContact: r.rowContact, requestedById: target.actorId, createdAt: now, decidedAt: null },
      select: { id: true },
    });
    if (before?.status !== "pending") notices.push({ userId: r.userId, kind: "schoolJoinRequest", url: `/join/${saved.id}`, params: { org: target.orgName } });
  }
  return createNotices(tx, notices);
}

export type InviteResult =
  | { ok: true; learner: ImportOutcome["learners"][number]; status: RowStatus }
  | { ok: false; errors: RowError[] };

/** One learner typed into the invite form: the same rules as a one-row import. */
export async function inviteLearner(
  target: ImportTarget,
  input: { name?: string; email?: string; phone?: string; idNumber?: string },
): Promise<InviteResult> {
  const { row, errors } = validateRow(1, { ...input, cohort: "" });
  if (!row) return { ok: false, errors };
  const parsed: ParsedImport = { rows: [row], errors: [], fileError: null, ignoredColumns: [], encoding: null };
  const preview = await previewImport(target, parsed);
  if (!preview.ok) return { ok: false, errors: preview.errors };
  const result = await applyImport(target, parsed);
  if (!result.ok) return { ok: false, errors: result.preview.errors.length ? result.preview.errors : [{ line: 1, code: "identityConflict" }] };
  return { ok: true, learner: result.outcome.learners[0], status: preview.plans[0].status };
}
