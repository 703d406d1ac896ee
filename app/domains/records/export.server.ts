// The subsidy claim export of a programme: one row per learner with the FULL ID number. Only
// here, only for the admins of the programme's school (requireProgrammeAdmin), and every
// export writes an audit entry "records.export_full_id" (without the numbers).
// Layout: docs/records-export.md.
import ExcelJS from "exceljs";
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { recordAudit } from "~/domains/audit/audit.server";
import { decryptIdNumber } from "./identity.server";
import { formatYuan } from "./ledger";
import { programmeTotals, requireProgrammeAdmin } from "./programmes.server";
import { groupCode } from "~/domains/certificates/code";
import { EXPORT_COOKIE, type ExportQuery } from "./validation";
import { isVerifiedOrg } from "~/domains/schools/permissions.server";
import { fileDownload } from "~/utils/download.server";

type Actor = Pick<AuthUser, "id" | "role" | "name">;
export type ExportFormat = "xlsx" | "csv";
type T = (key: string) => string;

export const EXPORT_COLUMNS = [
  "name",
  "idNumber",
  "gender",
  "county",
  "priority",
  "occupation",
  "lessonHours",
  "liveHours",
  "assessmentHours",
  "totalHours",
  "daysAttended",
  "assessmentResult",
  "certificate",
  "subsidyPerLearner",
  "subsidyHours",
  "subsidyLiving",
  "subsidyTotal",
] as const;

/** Hours with two decimals, as a number (minutes / 60). */
export const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;
const yuan = (fen: number) => Number(formatYuan(fen));

/** The export's period: what was asked for, kept inside the programme's dates. */
export function exportPeriod(programme: { startDate: string; endDate: string }, asked: { from?: string; to?: string }) {
  const from = asked.from && asked.from > programme.startDate ? asked.from : programme.startDate;
  const to = asked.to && asked.to < programme.endDate ? asked.to : programme.endDate;
  return { from, to: to < from ? from : to };
}

export async function exportProgramme(user: Actor, programmeId: string, format: ExportFormat, t: T, asked: { from?: string; to?: string } = {}) {
  const programme = await requireProgrammeAdmin(user, programmeId);
  // A subsidy claim only from a verified organisation (issue 10, decision 021).
  if (!(await isVerifiedOrg(programme.orgId))) throw new Response(t("errors.orgUnverified"), { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const period = exportPeriod(programme, asked);
  const { learners, totals } = await programmeTotals(programme.id, period);
  const ids = learners.map((l) => l.userId);
  const programmeCourses = await prisma.programmeCourse.findMany({ where: { programmeId: programme.id }, select: { courseId: true } });
  const [users, identities, regions, groups, certificates, results] = await Promise.all([
    prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, idNumberCipher: true } }),
    prisma.learnerIdentity.findMany({ where: { userId: { in: ids } } }),
    prisma.region.findMany({ select: { code: true, name: true } }),
    prisma.priorityGroup.findMany({ select: { key: true, nameZh: true } }),
    // Valid course certificates of the programme's courses (several: joined with "; ").
    prisma.certificate.findMany({
      where: { userId: { in: ids }, courseId: { in: programmeCourses.map((c) => c.courseId) }, revokedAt: null },
      select: { userId: true, code: true },
      orderBy: { issuedAt: "asc" },
    }),
    // Released marks of the practical tasks of the programme's courses, newest last.
    prisma.resultRelease.findMany({
      where: { submission: { userId: { in: ids }, lesson: { module: { courseId: { in: programmeCourses.map((c) => c.courseId) } } } } },
      select: { total: true, passed: true, releasedAt: true, submission: { select: { userId: true, lessonId: true, lesson: { select: { title: true } } } } },
      orderBy: { releasedAt: "asc" },
    }),
  ]);
  // One result per learner and task: the latest released.
  const resultOf = new Map<string, Map<string, string>>();
  for (const r of results) {
    const mine = resultOf.get(r.submission.userId) ?? new Map<string, string>();
    mine.set(r.submission.lessonId, `${r.submission.lesson.title}: ${Math.round(r.total * 10) / 10} ${t(r.passed ? "export.passed" : "export.notPassed")}`);
    resultOf.set(r.submission.userId, mine);
  }
  const certificateCodes = new Map<string, string[]>();
  for (const c of certificates) certificateCodes.set(c.userId, [...(certificateCodes.get(c.userId) ?? []), groupCode(c.code)]);
  const cipher = new Map(users.map((u) => [u.id, u.idNumberCipher]));
  const identity = new Map(identities.map((i) => [i.userId, i]));
  const regionName = new Map(regions.map((r) => [r.code, r.name]));
  const groupName = new Map(groups.map((g) => [g.key, g.nameZh]));

  const rows = learners.map((l) => {
    const id = identity.get(l.userId);
    const stored = cipher.get(l.userId);
    let idNumber = "";
    try {
      idNumber = stored ? decryptIdNumber(stored) : "";
    } catch {
      idNumber = "";
    }
    return [
      id?.legalName || l.name,
      idNumber,
      id?.gender ? t(`gender.${id.gender}`) : "",
      id?.countyCode ? `${regionName.get(id.countyCode) ?? ""} ${id.countyCode}`.trim() : "",
      (id?.priorityKeys ?? []).map((k) => groupName.get(k) ?? k).join("; "),
      programme.occupation,
      hours(l.lesson),
      hours(l.live),
      hours(l.assessment),
      hours(l.total),
      l.days,
      [...(resultOf.get(l.userId)?.values() ?? [])].join("; "),
      (certificateCodes.get(l.userId) ?? []).join("; "),
      yuan(l.subsidy.perLearner),
      yuan(l.subsidy.hours),
      yuan(l.subsidy.living),
      yuan(l.subsidy.total),
    ] as Array<string | number>;
  });
  const totalsRow: Array<string | number> = [
    t("export.totals"),
    "",
    "",
    "",
    "",
    "",
    hours(totals.lesson),
    hours(totals.live),
    hours(totals.assessment),
    hours(totals.total),
    totals.days,
    "",
    "",
    yuan(totals.perLearner),
    yuan(totals.hours),
    yuan(totals.living),
    yuan(totals.subsidy),
  ];
  const header = EXPORT_COLUMNS.map((c) => t(`export.${c}`));

  await prisma.$transaction(async (tx) => {
    await recordAudit(tx, {
      actor: { id: user.id, name: user.name },
      orgId: programme.orgId,
      action: "records.export_full_id",
      subjectType: "TrainingProgramme",
      subjectId: programme.id,
      after: { format, learners: learners.length, from: period.from, to: period.to },
    });
  });

  if (format === "csv") {
    const { toCsv } = await import("~/domains/schools/csv");
    return { programme, period, body: Buffer.from(toCsv([header, ...rows, totalsRow]), "utf8") };
  }
  const wb = new ExcelJS.Workbook();
  wb.creator = "SkillRelay";
  const sheet = wb.addWorksheet(t("export.sheetLearners"));
  sheet.addRow(header).font = { bold: true };
  for (const r of rows) sheet.addRow(r);
  sheet.addRow(totalsRow).font = { bold: true };
  sheet.getColumn(2).numFmt = "@"; // the ID number stays text (18 digits would lose precision)
  sheet.columns.forEach((c, i) => (c.width = i === 1 ? 22 : 14));
  sheet.views = [{ state: "frozen", ySplit: 1 }];

  const summary = wb.addWorksheet(t("export.sheetSummary"));
  const kv: Array<[string, string | number]> = [
    [t("export.programme"), programme.title],
    [t("export.school"), programme.org.name],
    [t("export.cohort"), programme.cohort.name],
    [t("export.kind"), t(`kind.${programme.kind}`)],
    [t("export.occupation"), programme.occupation],
    [t("export.period"), `${programme.startDate} – ${programme.endDate}`],
    [t("export.exportPeriod"), `${period.from} – ${period.to}`],
    [t("export.learners"), totals.learners],
    [t("export.totalHours"), hours(totals.total)],
    [t("export.daysAttended"), totals.days],
    [t("export.subsidyTotal"), yuan(totals.subsidy)],
  ];
  for (const row of kv) summary.addRow(row);
  summary.getColumn(1).width = 24;
  summary.getColumn(2).width = 40;
  const body = Buffer.from(await wb.xlsx.writeBuffer());
  return { programme, period, body };
}

/**
 * The download of a programme's subsidy export: the period from the query, a file name with
 * it, and — when the page's progress indicator sent a token — a short-lived cookie carrying
 * the token, set as the file is handed over, so the page knows the download began.
 */
export async function programmeExportResponse(user: Actor, programmeId: string, format: ExportFormat, t: T, query: ExportQuery) {
  const { body, period } = await exportProgramme(user, programmeId, format, t, query);
  const cookie = query.token ? { "Set-Cookie": `${EXPORT_COOKIE}=${query.token}; Path=/school/programmes; Max-Age=120; SameSite=Lax` } : undefined;
  return fileDownload(new Uint8Array(body), `programme-${period.from}-${period.to}.${format}`, { headers: cookie });
}
