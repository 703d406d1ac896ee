// Learner import (a CSV file, or one learner typed into the invite form): rows that passed
// csv.ts are matched against existing accounts, then applied all-or-nothing in one
// transaction.
//
// Rules:
// - A row matches an existing account by e-mail, phone or ID number (keyed hash). Matching
//   two different accounts, a staff account, or an account whose stored e-mail/phone/ID
//   differs from the row is an error. A matched account keeps its name; empty contact or ID
//   fields are filled from the row.
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
import { idNumberLookupHash, protectIdNumber } from "~/domains/records/identity.server";
import { canAdministerOrg } from "./permissions.server";
import { enrollInCohortAssignments } from "./assignments.server";
import { ensureInvitations, hasPassword, NO_PASSWORD } from "./invitations.server";
import { validateRow, type FileError, type ImportRow, type ParsedImport, type RowError } from "./csv";

type Db = Prisma.TransactionClient;

export type RowStatus = "new" | "existing" | "member";

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
  const org = await prisma.organization.findUnique({ where: { id: orgId }, select: { id: true, name: true } });
  if (!org) throw notFound();
  let defaultCohort: ImportTarget["defaultCohort"] = null;
  if (cohortId) {
    const cohort = await prisma.cohort.findUnique({ where: { id: cohortId }, select: { id: true, name: true, orgId: true } });
    if (!cohort || cohort.orgId !== org.id) throw notFound();
    defaultCohort = { id: cohort.id, name: cohort.name };
  }
  return { orgId: org.id, orgName: org.name, defaultCohort };
}

/** A target chosen in the form: "org:<id>" (no cohort) or "cohort:<id>". */
export async function resolveTargetValue(actor: Pick<AuthUser, "id" | "role">, value: FormDataEntryValue | null | undefined) {
  const v = typeof value === "string" ? value : "";
  if (v.startsWith("org:")) return resolveImportTarget(actor, v.slice(4), null);
  if (v.startsWith("cohort:")) {
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
    const matches = [
      row.email ? byEmail.get(row.email) : undefined,
      row.phone ? byPhone.get(row.phone) : undefined,
      hash ? byHash.get(hash) : undefined,
    ].filter((u): u is NonNullable<typeof u> => u !== undefined);
    const distinct = [...new Map(matches.map((u) => [u.id, u])).values()];
    let user: (typeof users)[number] | null = null;
    if (distinct.length > 1) {
      rowErrors.push({ line: row.line, code: "identityConflict" });
    } else if (distinct.length === 1) {
      user = distinct[0];
      if (user.role !== "learner") rowErrors.push({ line: row.line, code: "notALearner" });
      else {
        if (row.email && user.email && user.email !== row.email) rowErrors.push({ line: row.line, field: "email", code: "emailMismatch", value: row.email });
        if (row.phone && user.phone && user.phone !== row.phone) rowErrors.push({ line: row.line, field: "phone", code: "phoneMismatch", value: row.phone });
        if (hash && user.idNumberHash && user.idNumberHash !== hash) rowErrors.push({ line: row.line, field: "idNumber", code: "idMismatch" });
      }
      const earlier = lineOfUser.get(user.id);
      if (earlier !== undefined) rowErrors.push({ line: row.line, code: "samePersonInFile", otherLine: earlier });
      else lineOfUser.set(user.id, row.line);
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
      const status: RowStatus = !user ? "new" : user.memberships.length ? "member" : "existing";
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
  counts: { rows: number; new: number; existing: number; member: number };
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
    counts: { rows: parsed.rows.length + new Set(parsed.errors.map((e) => e.line)).size, new: count("new"), existing: count("existing"), member: count("member") },
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
  /** Per row, in file order: the account and its pending invitation (null once it has a password). */
  learners: Array<{ line: number; userId: string; name: string; email: string | null; phone: string | null; token: string | null; expiresAt: Date | null }>;
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
    return { ok: true, outcome };
  } catch (err) {
    if (err instanceof Rejected) return { ok: false, preview: err.preview };
    if ((err as { code?: string }).code === "P2002") {
      return { ok: false, preview: { ...summarize(parsed, null), ok: false, fileError: { code: "concurrentChange" } } };
    }
    throw err;
  }
}

async function write(tx: Db, target: ImportTarget, analysis: Analysis, now: Date): Promise<ImportOutcome> {
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
  for (const plan of analysis.plans) {
    const { row } = plan;
    const id = row.idNumber ? protectIdNumber(row.idNumber) : null;
    if (!plan.userId) {
      const user = await tx.user.create({
        data: { name: row.name, email: row.email, phone: row.phone, role: "learner", passwordHash: NO_PASSWORD, ...(id ?? {}) },
        select: { id: true },
      });
      userIdOfLine.set(row.line, user.id);
      created++;
    } else {
      // Fill what the account lacks; never overwrite (mismatches were rejected above).
      const current = await tx.user.findUniqueOrThrow({ where: { id: plan.userId }, select: { email: true, phone: true, idNumberHash: true } });
      const fill: Prisma.UserUpdateInput = {};
      if (row.email && !current.email) fill.email = row.email;
      if (row.phone && !current.phone) fill.phone = row.phone;
      if (id && !current.idNumberHash) Object.assign(fill, id);
      if (Object.keys(fill).length) await tx.user.update({ where: { id: plan.userId }, data: fill });
      userIdOfLine.set(row.line, plan.userId);
      matched++;
    }
  }

  const userIds = [...userIdOfLine.values()];
  const joinedOrganisation = (
    await tx.membership.createMany({ data: userIds.map((userId) => ({ orgId: target.orgId, userId, role: "learner" as const })), skipDuplicates: true })
  ).count;

  const memberRows = analysis.plans.flatMap((p) =>
    p.cohortName ? [{ cohortId: cohortIdByName.get(p.cohortName)!, userId: userIdOfLine.get(p.row.line)! }] : [],
  );
  const addedToCohorts = (await tx.cohortMember.createMany({ data: memberRows, skipDuplicates: true })).count;
  let enrolments = 0;
  for (const cohortId of new Set(memberRows.map((m) => m.cohortId))) {
    enrolments += await enrollInCohortAssignments(
      tx,
      cohortId,
      memberRows.filter((m) => m.cohortId === cohortId).map((m) => m.userId),
    );
  }

  const invitations = await ensureInvitations(tx, target.orgId, userIds, now);
  const accounts = await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true, phone: true, passwordHash: true } });
  const accountById = new Map(accounts.map((a) => [a.id, a]));
  const learners = analysis.plans.map((p) => {
    const userId = userIdOfLine.get(p.row.line)!;
    const a = accountById.get(userId)!;
    const inv = hasPassword(a) ? undefined : invitations.get(userId);
    return { line: p.row.line, userId, name: a.name, email: a.email, phone: a.phone, token: inv?.token ?? null, expiresAt: inv?.expiresAt ?? null };
  });
  return { created, matched, joinedOrganisation, addedToCohorts, createdCohorts, enrolments, learners };
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
