// Reports (issues 10 and 12) from real rows: learners by county and priority group, hours of
// the ledger, completions, certificates and live sessions per month; who may see which
// organisation's report; the pages render in both languages with the numbers as tables.
import { beforeAll, describe, expect, it } from "vitest";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "~/domains/db.server";
import { buildReport } from "~/domains/reports/reports.server";
import { monthOf } from "~/domains/reports/series";
import { loader as adminLoader } from "~/routes/admin.reports";
import { loader as schoolLoader } from "~/routes/school.reports";
import { loader as schoolCsvLoader } from "~/routes/school.reports[.]csv";
import { loader as adminCsvLoader } from "~/routes/admin.reports[.]csv";
import { loader as schoolXlsxLoader } from "~/routes/school.reports[.]xlsx";
import { loader as adminXlsxLoader } from "~/routes/admin.reports[.]xlsx";
import ExcelJS from "exceljs";
import { parseCsv } from "~/domains/schools/csv";
import { startServer } from "../../server/app";
import { createSessionCookie } from "~/domains/auth/session.server";
import { addLearner, bodyOf, makeCohort, makeCourse, makeOrg, makeUser, requestAs, resetSchoolTables, settle } from "./schools-fixtures";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
const load = async (fn: Loader, userId: string | null, path: string) => settle(fn({ request: await requestAs(userId, path), params: {}, context: {} }));
type Report = Awaited<ReturnType<typeof buildReport>>;

const NOW = new Date();
const THIS_MONTH = monthOf(NOW);
const today = () => new Date(NOW.getTime() - 60_000);

let A: Awaited<ReturnType<typeof makeOrg>>;
let B: Awaited<ReturnType<typeof makeOrg>>;
let platformAdmin: { id: string };
// A learner of no school, and an expert: refused the school report; the learner still counts on the platform's.
let outsider: { id: string };
let outsiderExpert: { id: string };

beforeAll(async () => {
  await resetSchoolTables();
  await prisma.region.createMany({
    data: [
      { code: "513431", name: "昭觉县", nameEn: "Zhaojue County", povertyCounty: true },
      { code: "110101", name: "东城区", nameEn: "Dongcheng District", povertyCounty: false },
    ],
    skipDuplicates: true,
  });
  await prisma.priorityGroup.createMany({
    data: [
      { key: "poor_household", nameZh: "建档立卡贫困户", nameEn: "Registered poor household", sortOrder: 1 },
      { key: "epidemic_family", nameZh: "受疫情影响家庭", nameEn: "Family affected by the epidemic", sortOrder: 2 },
    ],
    skipDuplicates: true,
  });
  A = await makeOrg("Liangshan Tech");
  B = await makeOrg("Other School");
  platformAdmin = await makeUser("admin");
  outsider = await makeUser("learner");
  outsiderExpert = await makeUser("expert");
  const cohort = await makeCohort(A.org.id);
  const course = await makeCourse();
  const programme = await prisma.trainingProgramme.create({
    data: { orgId: A.org.id, cohortId: cohort.id, title: "Welding 2026", startDate: "2026-01-01", endDate: "2027-12-31", courses: { create: [{ courseId: course.id }] } },
  });
  const a1 = await addLearner(A.org.id, cohort.id);
  const a2 = await addLearner(A.org.id, cohort.id);
  const a3 = await addLearner(A.org.id, cohort.id);
  await prisma.learnerIdentity.create({ data: { userId: a1.id, legalName: "甲", countyCode: "513431", priorityKeys: ["poor_household"] } });
  await prisma.learnerIdentity.create({ data: { userId: a2.id, legalName: "乙", countyCode: "513431", priorityKeys: ["poor_household", "epidemic_family"] } });
  await prisma.learnerIdentity.create({ data: { userId: a3.id, legalName: "丙", countyCode: "110101" } });
  const todayCn = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(NOW);
  await prisma.hoursEntry.createMany({
    data: [
      { userId: a1.id, programmeId: programme.id, source: "lesson", sourceId: "l1", day: todayCn, minutes: 90 },
      { userId: a1.id, programmeId: programme.id, source: "live", sourceId: "s1", day: todayCn, minutes: 30 },
      { userId: a2.id, programmeId: programme.id, source: "lesson", sourceId: "l1", day: todayCn, minutes: 60 },
      // A correction takes minutes away.
      { userId: a2.id, programmeId: programme.id, source: "correction", sourceId: "c1", day: todayCn, minutes: -30, reason: "double counted" },
      // Long before the period: not counted.
      { userId: a3.id, programmeId: programme.id, source: "lesson", sourceId: "l1", day: "2020-01-01", minutes: 600 },
    ],
  });
  await prisma.enrollment.create({ data: { userId: a1.id, courseId: course.id, completedAt: today() } });
  await prisma.enrollment.create({ data: { userId: a2.id, courseId: course.id } });
  await prisma.certificate.create({ data: { code: `RPT${Date.now()}A`, userId: a1.id, holderName: "甲", kind: "course", courseId: course.id, titleZh: "焊接", titleEn: "Welding", issuedAt: today() } });
  await prisma.certificate.create({
    data: { code: `RPT${Date.now()}R`, userId: a2.id, holderName: "乙", kind: "competition", titleZh: "x", titleEn: "x", issuedAt: today(), revokedAt: today(), revokedReason: "error" },
  });
  const expert = await makeUser("expert");
  await prisma.liveSession.create({ data: { hostId: expert.id, title: "Class A live", kind: "group", cohortId: cohort.id, startsAt: today(), endsAt: NOW, status: "ended" } });
  await prisma.liveSession.create({ data: { hostId: expert.id, title: "Cancelled", kind: "group", cohortId: cohort.id, startsAt: today(), endsAt: NOW, status: "cancelled" } });
  await prisma.liveSession.create({ data: { hostId: expert.id, title: "Someone's 1:1", kind: "one_to_one", startsAt: today(), endsAt: NOW } });

  // School B: one learner, nothing else.
  const b1 = await addLearner(B.org.id);
  await prisma.learnerIdentity.create({ data: { userId: b1.id, legalName: "丁", countyCode: "110101", priorityKeys: ["epidemic_family"] } });
}, 60_000);

describe("school report", () => {
  it("counts the school's learners, ledger hours, completions, valid certificates and its cohorts' sessions", async () => {
    const r = await load(schoolLoader, A.admin.id, "/school/reports?months=6");
    expect(r.thrown).toBeNull();
    const { report, orgName } = bodyOf<{ report: Report; orgName: string }>(r.value);
    expect(orgName).toBe("Liangshan Tech");
    expect(report.totals).toEqual({ learners: 3, hours: 2.5, completions: 1, certificates: 1, liveSessions: 1 });
    const month = report.monthly.find((m) => m.month === THIS_MONTH)!;
    expect(month).toMatchObject({ newLearners: 3, hours: 2.5, completions: 1, certificates: 1, liveSessions: 1 });
    expect(report.monthly).toHaveLength(6);
    expect(report.counties.map((c) => [c.key, c.learners, c.hours, c.povertyCounty])).toEqual([
      ["513431", 2, 2.5, true],
      ["110101", 1, 0, false],
    ]);
    expect(report.groups.map((g) => [g.key, g.learners])).toEqual([
      ["poor_household", 2],
      ["epidemic_family", 1],
      ["", 1],
    ]);
    expect(report.poverty.map((p) => [p.key, p.learners])).toEqual([
      ["poverty", 2],
      ["other", 1],
    ]);
  });

  it("shows school B only its own figures and hides school A's report from it", async () => {
    const own = bodyOf<{ report: Report }>((await load(schoolLoader, B.admin.id, "/school/reports")).value).report;
    expect(own.totals).toEqual({ learners: 1, hours: 0, completions: 0, certificates: 0, liveSessions: 0 });
    const other = await load(schoolLoader, B.admin.id, `/school/reports?org=${A.org.id}`);
    expect(other.thrown?.status).toBe(404);
    // A platform admin may open any school's report.
    const asAdmin = bodyOf<{ report: Report; orgName: string }>((await load(schoolLoader, platformAdmin.id, `/school/reports?org=${A.org.id}`)).value);
    expect(asAdmin.orgName).toBe("Liangshan Tech");
    expect(asAdmin.report.totals.learners).toBe(3);
  });

  it("refuses learners, experts and visitors, and bad filters with a 400", async () => {
    expect((await load(schoolLoader, outsider.id, "/school/reports")).thrown?.status).toBe(403);
    expect((await load(schoolLoader, outsiderExpert.id, "/school/reports")).thrown?.status).toBe(403);
    expect((await load(schoolLoader, null, "/school/reports")).thrown?.status).toBe(302);
    expect((await load(schoolLoader, A.admin.id, "/school/reports?months=999")).thrown?.status).toBe(400);
    expect((await load(schoolLoader, A.admin.id, "/school/reports?org=%27%20or%201%3D1")).thrown?.status).toBe(400);
  });
});

function csvRows(text: string): string[][] {
  const parsed = parseCsv(text.replace(/^\uFEFF/, ""), ",");
  if (!parsed.ok) throw new Error(`bad CSV at line ${parsed.line}`);
  return parsed.records.map((r) => r.cells);
}

describe("reports as CSV", () => {
  it("the school's CSV holds the page's figures in the reader's language; another school's is a 404, a learner's a 403", async () => {
    const r = await load(schoolCsvLoader, A.admin.id, "/school/reports.csv?months=6");
    expect(r.thrown).toBeNull();
    const res = r.value as Response;
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="school-report-\d{4}-\d{2}-\d{4}-\d{2}\.csv"/);
    const rows = csvRows(await res.text());
    const month = rows.find((row) => row[0] === THIS_MONTH)!;
    expect(month.slice(1).map(Number)).toEqual([3, 2.5, 1, 1, 1]);
    expect(rows.find((row) => row[0] === "513431")?.slice(0, 4)).toEqual(["513431", "Zhaojue County", "yes", "2"]);
    expect(rows.some((row) => row[0] === "Registered poor household" && row[1] === "2")).toBe(true);
    // No personal data: the report is counts only.
    expect(rows.flat().join(" ")).not.toMatch(/丁|\d{17}[\dX]/);

    expect((await load(schoolCsvLoader, B.admin.id, `/school/reports.csv?org=${A.org.id}`)).thrown?.status).toBe(404);
    expect((await load(schoolCsvLoader, outsider.id, "/school/reports.csv")).thrown?.status).toBe(403);
    expect((await load(schoolCsvLoader, A.admin.id, "/school/reports.csv?months=999")).thrown?.status).toBe(400);
  });

  it("the platform CSV is for platform admins only", async () => {
    const r = await load(adminCsvLoader, platformAdmin.id, "/admin/reports.csv?months=12");
    expect(r.thrown).toBeNull();
    const rows = csvRows(await (r.value as Response).text());
    expect(rows.filter((row) => /^\d{4}-\d{2}$/.test(row[0]))).toHaveLength(12);
    expect((await load(adminCsvLoader, A.admin.id, "/admin/reports.csv")).thrown?.status).toBe(403);
    expect((await load(adminCsvLoader, null, "/admin/reports.csv")).thrown?.status).toBe(302);
  });
});

describe("reports as XLSX", () => {
  const sheetRows = (ws: ExcelJS.Worksheet) => {
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  };

  it("the school's workbook has one sheet per table, with numbers as numbers; same access rules as the CSV", async () => {
    const r = await load(schoolXlsxLoader, A.admin.id, "/school/reports.xlsx?months=6");
    expect(r.thrown).toBeNull();
    const res = r.value as Response;
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="school-report-\d{4}-\d{2}-\d{4}-\d{2}\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toHaveLength(4);
    const months = sheetRows(wb.worksheets[0]!);
    const month = months.find((row) => row[0] === THIS_MONTH)!;
    expect(month.slice(1)).toEqual([3, 2.5, 1, 1, 1]);
    expect(months.filter((row) => /^\d{4}-\d{2}$/.test(String(row[0])))).toHaveLength(6);
    const counties = sheetRows(wb.worksheets[1]!);
    expect(counties.find((row) => row[0] === "513431")?.slice(0, 4)).toEqual(["513431", "Zhaojue County", "yes", 2]);
    expect(wb.worksheets.flatMap(sheetRows).flat().join(" ")).not.toMatch(/丁|\d{17}[\dX]/);

    expect((await load(schoolXlsxLoader, B.admin.id, `/school/reports.xlsx?org=${A.org.id}`)).thrown?.status).toBe(404);
    expect((await load(schoolXlsxLoader, outsider.id, "/school/reports.xlsx")).thrown?.status).toBe(403);
    expect((await load(schoolXlsxLoader, A.admin.id, "/school/reports.xlsx?months=abc")).thrown?.status).toBe(400);
  });

  it("the platform workbook is for platform admins only, in the reader's language", async () => {
    const r = await load(adminXlsxLoader, platformAdmin.id, "/admin/reports.xlsx?months=12");
    expect(r.thrown).toBeNull();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await (r.value as Response).arrayBuffer());
    expect(sheetRows(wb.worksheets[0]!).filter((row) => /^\d{4}-\d{2}$/.test(String(row[0])))).toHaveLength(12);
    expect((await load(adminXlsxLoader, A.admin.id, "/admin/reports.xlsx")).thrown?.status).toBe(403);
    expect((await load(adminXlsxLoader, outsiderExpert.id, "/admin/reports.xlsx")).thrown?.status).toBe(403);
    expect((await load(adminXlsxLoader, null, "/admin/reports.xlsx")).thrown?.status).toBe(302);
  });
});

describe("platform report", () => {
  it("adds up every school's learners and every session, for platform admins only", async () => {
    const r = bodyOf<{ report: Report }>((await load(adminLoader, platformAdmin.id, "/admin/reports")).value).report;
    expect(r.totals).toEqual({ learners: 5, hours: 2.5, completions: 1, certificates: 1, liveSessions: 2 });
    expect(r.monthly).toHaveLength(12);
    expect(r.counties.find((c) => c.key === "110101")?.learners).toBe(2);
    expect(r.groups.find((g) => g.key === "epidemic_family")?.learners).toBe(2);
    expect((await load(adminLoader, A.admin.id, "/admin/reports")).thrown?.status).toBe(403);
    expect((await load(adminLoader, null, "/admin/reports")).thrown?.status).toBe(302);
  });

  it("renders the charts' numbers as tables in both languages, with no ID number or legal name", async () => {
    const server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
    try {
      const cookie = (await createSessionCookie(platformAdmin.id)).split(";")[0];
      for (const [lang, words] of [
        ["en", ["Platform reports", "By county of household registration", "Zhaojue County", "Poverty county", "Registered poor household"]],
        ["zh-CN", ["平台统计报表", "按户籍所在县", "昭觉县", "脱贫县", "建档立卡贫困户"]],
      ] as const) {
        const res = await fetch(`${server.url}/admin/reports`, { headers: { Cookie: cookie, "Accept-Language": lang } });
        expect(res.status).toBe(200);
        const html = await res.text();
        for (const w of words) expect(html).toContain(w);
        expect(html).toContain('data-testid="report-chart-activity"');
        expect(html).not.toContain("甲");
      }
      const school = await fetch(`${server.url}/school/reports`, { headers: { Cookie: (await createSessionCookie(A.admin.id)).split(";")[0], "Accept-Language": "en" } });
      expect(school.status).toBe(200);
      expect(await school.text()).toContain("Liangshan Tech");
    } finally {
      await server.close();
    }
  }, 60_000);
});
