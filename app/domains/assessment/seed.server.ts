// Demo marking schemes (WorldSkills-style): the welding course's plate butt weld and the CNC
// turning course's stepped shaft. Idempotent: each is only created when its task lesson has no
// scheme yet.
import crypto from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { encodeCode } from "../certificates/code";
import { translator } from "../notifications/translate.server";
import { judgementState, measurementMark, round2, totals, validateScheme, type MeasurementConfig, type SchemeInput } from "./scheme";
import { computeStanding } from "./standing";

const bands = (full: number, half: number) => ({ mode: "bands" as const, bands: [{ upTo: full, fraction: 1 }, { upTo: half, fraction: 0.5 }] });

export const PLATE_BUTT_WELD: SchemeInput = {
  total: 100,
  tolerance: 0.5,
  sections: [
    {
      name: "尺寸 Dimensions",
      weighting: 30,
      criteria: [
        {
          code: "A",
          name: "尺寸与变形 Dimensions and distortion",
          aspects: [
            { kind: "measurement", description: "焊缝余高 0–3 mm（偏差）Cap height 0–3 mm (deviation)", maxMark: 10, measurement: bands(0.5, 1) },
            { kind: "measurement", description: "焊缝宽度 10±1 mm（偏差）Cap width 10±1 mm (deviation)", maxMark: 10, measurement: bands(0.5, 1) },
            { kind: "measurement", description: "角变形 ≤ 3°（偏差）Angular distortion ≤ 3° (deviation)", maxMark: 10, measurement: bands(1, 2) },
          ],
        },
      ],
    },
    {
      name: "外观检验 Visual inspection",
      weighting: 40,
      criteria: [
        {
          code: "B",
          name: "焊缝缺陷 Weld defects",
          aspects: [
            { kind: "measurement", description: "咬边、气孔、未熔合：每处扣 2 分 Undercut, porosity, lack of fusion: 2 per fault", maxMark: 16, measurement: { mode: "deduction", perFault: 2 } },
            { kind: "measurement", description: "背面完全焊透 Full root penetration", maxMark: 8, measurement: { mode: "binary" } },
          ],
        },
        {
          code: "C",
          name: "焊缝外观 Weld appearance",
          aspects: [
            {
              kind: "judgement",
              description: "焊缝成形均匀 Uniform bead and ripples",
              maxMark: 8,
              descriptors: ["成形差，不可接受 Not acceptable", "低于行业标准 Below industry standard", "达到行业标准 Industry standard", "优秀，超出标准 Excellent, beyond standard"],
            },
            {
              kind: "judgement",
              description: "起弧、收弧与接头 Starts, stops and tie-ins",
              maxMark: 8,
              descriptors: ["明显缺陷 Clear defects", "可见但轻微 Visible but minor", "几乎不可见 Barely visible", "无法分辨 Indistinguishable"],
            },
          ],
        },
      ],
    },
    {
      name: "安全 Safety",
      weighting: 15,
      criteria: [
        {
          code: "D",
          name: "个人防护与用电 PPE and electrical safety",
          aspects: [
            { kind: "measurement", description: "全程正确佩戴防护用品 PPE worn correctly throughout", maxMark: 10, measurement: { mode: "binary" } },
            { kind: "measurement", description: "安全违规：每次扣 2.5 分 Safety breaches: 2.5 per breach", maxMark: 5, measurement: { mode: "deduction", perFault: 2.5 } },
          ],
        },
      ],
    },
    {
      name: "工作组织 Work organisation",
      weighting: 15,
      criteria: [
        {
          code: "E",
          name: "工位与时间 Workstation and time",
          aspects: [
            {
              kind: "judgement",
              description: "工位整洁、工具摆放 Tidy workstation and tools",
              maxMark: 10,
              descriptors: ["杂乱 Disorganised", "基本整齐 Mostly tidy", "整洁有序 Tidy and orderly", "堪称示范 Exemplary"],
            },
            { kind: "measurement", description: "按时完成 Finished within time", maxMark: 5, measurement: { mode: "binary" } },
          ],
        },
      ],
    },
  ],
};

/**
 * The CNC turning course's practical task (turn the stepped shaft): diameters and lengths
 * measured against their tolerances, surface finish partly measured (Ra) and partly judged,
 * safety at the machine and work organisation, in the WorldSkills CNC Turning shape.
 */
export const STEPPED_SHAFT: SchemeInput = {
  total: 100,
  tolerance: 0.5,
  sections: [
    {
      name: "尺寸精度 Dimensional accuracy",
      weighting: 50,
      criteria: [
        {
          code: "A",
          name: "直径 Diameters",
          aspects: [
            { kind: "measurement", description: "Ø40 h7 (0/−0.025 mm)，偏差 Ø40 h7 (0/−0.025 mm), deviation", maxMark: 10, measurement: bands(0.02, 0.05) },
            { kind: "measurement", description: "Ø30 ±0.02 mm，偏差 Ø30 ±0.02 mm, deviation", maxMark: 10, measurement: bands(0.02, 0.05) },
            { kind: "measurement", description: "Ø20 ±0.02 mm，偏差 Ø20 ±0.02 mm, deviation", maxMark: 10, measurement: bands(0.02, 0.05) },
          ],
        },
        {
          code: "B",
          name: "长度与倒角 Lengths and chamfers",
          aspects: [
            { kind: "measurement", description: "总长 120 ±0.1 mm，偏差 Overall length 120 ±0.1 mm, deviation", maxMark: 8, measurement: bands(0.1, 0.2) },
            { kind: "measurement", description: "台阶长度 40 ±0.05 mm，偏差 Shoulder length 40 ±0.05 mm, deviation", maxMark: 7, measurement: bands(0.05, 0.1) },
            { kind: "measurement", description: "全部倒角 1×45° 齐全 All 1×45° chamfers present", maxMark: 5, measurement: { mode: "binary" } },
          ],
        },
      ],
    },
    {
      name: "表面质量 Surface finish",
      weighting: 20,
      criteria: [
        {
          code: "C",
          name: "表面与边缘 Surface and edges",
          aspects: [
            { kind: "measurement", description: "Ø30 外圆 Ra ≤ 1.6 µm Ø30 surface Ra ≤ 1.6 µm", maxMark: 6, measurement: { mode: "binary" } },
            {
              kind: "judgement",
              description: "表面纹理均匀、无振纹 Even finish, no chatter marks",
              maxMark: 7,
              descriptors: ["明显振纹或刀痕 Clear chatter or tool marks", "局部振纹 Chatter in places", "纹理均匀 Even finish", "如镜面般一致 Uniform, near-polished finish"],
            },
            {
              kind: "judgement",
              description: "去毛刺与锐边处理 Burrs and sharp edges",
              maxMark: 7,
              descriptors: ["毛刺明显、割手 Burrs left, edges sharp", "部分去除 Partly deburred", "全部去除 Fully deburred", "全部去除且边缘一致 Fully deburred, edges consistent"],
            },
          ],
        },
      ],
    },
    {
      name: "安全 Safety",
      weighting: 15,
      criteria: [
        {
          code: "D",
          name: "机床安全 Machine safety",
          aspects: [
            { kind: "measurement", description: "全程佩戴护目镜、不戴手套操作 Safety glasses on, no gloves at the spindle", maxMark: 5, measurement: { mode: "binary" } },
            { kind: "measurement", description: "开门启动、扳手留在卡盘上：每次扣 2.5 分 Door open at cycle start or chuck key left in: 2.5 per breach", maxMark: 5, measurement: { mode: "deduction", perFault: 2.5 } },
            { kind: "measurement", description: "首件空运行或单段验证程序 Program proved by dry run or single block", maxMark: 5, measurement: { mode: "binary" } },
          ],
        },
      ],
    },
    {
      name: "工作组织 Work organisation",
      weighting: 15,
      criteria: [
        {
          code: "E",
          name: "工位、时间与记录 Workstation, time and records",
          aspects: [
            {
              kind: "judgement",
              description: "工位整洁、量具与刀具管理 Tidy workstation, gauges and tools cared for",
              maxMark: 8,
              descriptors: ["杂乱，量具随意放置 Disorganised, gauges left anywhere", "基本整齐 Mostly tidy", "整洁有序 Tidy and orderly", "堪称示范 Exemplary"],
            },
            { kind: "measurement", description: "按时完成 Finished within time", maxMark: 4, measurement: { mode: "binary" } },
            { kind: "measurement", description: "自检记录完整（实测直径） Inspection record complete (measured diameters)", maxMark: 3, measurement: { mode: "binary" } },
          ],
        },
      ],
    },
  ],
};

/** The demo schemes: course slug, task lesson title, scheme and pass mark. */
export const DEMO_SCHEMES = [
  { course: "mag-welding-basics", lesson: "实操：6 mm 板平焊对接", scheme: PLATE_BUTT_WELD, passMark: 60 },
  { course: "cnc-turning-fundamentals", lesson: "Practical: turn the shaft", scheme: STEPPED_SHAFT, passMark: 60 },
];

/** Creates the demo schemes whose task lesson exists and has none yet; returns how many it created. */
export async function seedAssessment(prisma: PrismaClient) {
  let created = 0;
  for (const demo of DEMO_SCHEMES) if (await seedScheme(prisma, demo)) created += 1;
  return created;
}

async function seedScheme(prisma: PrismaClient, demo: (typeof DEMO_SCHEMES)[number]) {
  const lesson = await prisma.lesson.findFirst({ where: { kind: "task", title: demo.lesson, module: { course: { slug: demo.course } } }, select: { id: true, markingScheme: { select: { id: true } } } });
  if (!lesson || lesson.markingScheme) return false;
  const scheme = demo.scheme;
  if (validateScheme(scheme).length) throw new Error(`demo marking scheme of ${demo.course} does not add up`);
  await prisma.markingScheme.create({
    data: {
      lessonId: lesson.id,
      total: scheme.total,
      tolerance: scheme.tolerance,
      passMark: demo.passMark,
      sections: {
        create: scheme.sections.map((s, si) => ({
          name: s.name,
          weighting: s.weighting,
          position: si,
          criteria: {
            create: s.criteria.map((c, ci) => ({
              code: c.code,
              name: c.name,
              position: ci,
              aspects: {
                create: c.aspects.map((a, ai) => ({
                  kind: a.kind,
                  description: a.description,
                  maxMark: a.maxMark,
                  descriptors: a.descriptors ?? undefined,
                  measurement: a.measurement ?? undefined,
                  position: ai,
                })),
              },
            })),
          },
        })),
      },
    },
  });
  return true;
}

// ── Demo mock competitions ──────────────────────────────────────────────────────────────
// One finished, released competition on the plate butt weld (five competitors, marked by the
// three demo experts with the real rules, certificates issued) and one upcoming. Idempotent
// (by title). Marks are entered as a marker would; totals, ranks and medals follow from them.
export const DEMO_COMPETITION_DONE = "模拟赛：6 mm 板平焊对接 Mock competition: plate butt weld";
export const DEMO_COMPETITION_NEXT = "模拟赛（第二轮）：板对接 Mock competition, round 2";

type Profile = { dev: number; faults: number; awarded: boolean[]; scores: number[][] };
const PROFILES: Record<string, Profile> = {
  "learner@skillrelay.test": { dev: 0.4, faults: 1, awarded: [true, true, true], scores: [[3, 2, 3], [2, 2, 3], [3, 3, 3]] },
  "asu.laha@learners.skillrelay.test": { dev: 0.3, faults: 0, awarded: [true, true, true], scores: [[3, 3, 3], [3, 3, 2], [3, 3, 3]] },
  "mahai.riha@learners.skillrelay.test": { dev: 0.8, faults: 2, awarded: [true, true, true], scores: [[2, 2, 2], [2, 1, 2], [2, 2, 2]] },
  "wang.jianguo@learners.skillrelay.test": { dev: 0.9, faults: 3, awarded: [false, true, true], scores: [[1, 2, 2], [2, 2, 1], [2, 1, 2]] },
  "li.juan@learners.skillrelay.test": { dev: 1.4, faults: 4, awarded: [false, true, false], scores: [[1, 1, 2], [1, 1, 1], [1, 2, 1]] },
};
const MARKER_EMAILS = ["expert@skillrelay.test", "zhao.welding@skillrelay.test", "lena.cnc@skillrelay.test"];
const DAY = 86_400_000;

export async function seedCompetitions(prisma: PrismaClient, now = new Date()) {
  if (await prisma.competition.count({ where: { title: { in: [DEMO_COMPETITION_DONE, DEMO_COMPETITION_NEXT] } } })) return 0;
  const lesson = await prisma.lesson.findFirst({
    where: { kind: "task", title: "实操：6 mm 板平焊对接", module: { course: { slug: "mag-welding-basics" } } },
    select: { id: true, module: { select: { course: { select: { authors: { where: { role: "owner" }, select: { userId: true, user: { select: { name: true } } } } } } } }, markingScheme: { select: { passMark: true, sections: { orderBy: { position: "asc" }, select: { criteria: { orderBy: { position: "asc" }, select: { code: true, aspects: { orderBy: { position: "asc" } } } } } } } } },
  });
  const owner = lesson?.module.course.authors[0];
  if (!lesson?.markingScheme || !owner) return 0;
  const markers = await prisma.user.findMany({ where: { email: { in: MARKER_EMAILS }, role: "expert" }, select: { id: true } });
  const learners = await prisma.user.findMany({ where: { email: { in: Object.keys(PROFILES) }, role: "learner" }, select: { id: true, email: true, name: true, locale: true } });
  if (markers.length < 3 || learners.length < 3) return 0;
  const modules = [
    { title: "模块 A：板对接平焊 Module A: plate butt weld, flat", durationMinutes: 90, position: 0 },
    { title: "模块 B：外观自检与记录 Module B: visual self-check and record", durationMinutes: 30, position: 1 },
  ];
  const description =
    "按图纸完成 6 mm 低碳钢板对接平焊（MAG，实心焊丝 ER50-6）。提交正面、背面焊缝照片各一张，并写明电流、电压与焊接速度。\n\nWeld a 6 mm mild-steel butt joint in the flat position (MAG, ER50-6). Hand in one photo of the cap and one of the root, with your current, voltage and travel speed.";

  // The finished competition, a fortnight ago, released four days after.
  const startsAt = new Date(now.getTime() - 14 * DAY);
  const endsAt = new Date(startsAt.getTime() + 2 * 3_600_000);
  const releasedAt = new Date(startsAt.getTime() + 4 * DAY);
  const done = await prisma.competition.create({
    data: {
      title: DEMO_COMPETITION_DONE,
      description,
      lessonId: lesson.id,
      createdById: owner.userId,
      startsAt,
      endsAt,
      releaseAt: releasedAt,
      releasedAt,
      modules: { create: modules },
      participants: { create: learners.map((l) => ({ userId: l.id })) },
      markers: { create: markers.map((m) => ({ userId: m.id })) },
    },
  });
  const aspects = lesson.markingScheme.sections.flatMap((s) => s.criteria.flatMap((c) => c.aspects.map((a) => ({ ...a, criterion: c.code }))));
  const results: Array<{ id: string; raw: number; submissionId: string; name: string; locale: string }> = [];
  for (const [li, l] of learners.entries()) {
    const p = PROFILES[l.email!];
    const sub = await prisma.taskSubmission.create({
      data: { lessonId: lesson.id, competitionId: done.id, userId: l.id, body: `电流 ${120 + li * 5} A，电压 ${19 + (li % 2)} V，焊速 ${22 - li} cm/min`, createdAt: new Date(startsAt.getTime() + (100 + li * 4) * 60_000) },
    });
    let binaries = 0;
    let judged = 0;
    const rows: Array<{ id: string; mark: number | null; maxMark: number; criterion: string; flagged: boolean }> = [];
    for (const [ai, a] of aspects.entries()) {
      const createdAt = new Date(endsAt.getTime() + DAY + ai * 60_000);
      if (a.kind === "judgement") {
        const scores = p.scores[judged++ % p.scores.length];
        await prisma.mark.createMany({ data: markers.map((m, mi) => ({ submissionId: sub.id, aspectId: a.id, markerId: m.id, score: scores[mi], createdAt, updatedAt: createdAt })) });
        const state = judgementState(a.maxMark, markers.map((m, mi) => ({ markerId: m.id, round: 1, score: scores[mi] })));
        rows.push({ id: a.id, mark: state.mark, maxMark: a.maxMark, criterion: a.criterion, flagged: state.flagged });
        continue;
      }
      const config = a.measurement as MeasurementConfig;
      const entry =
        config.mode === "binary" ? { awarded: p.awarded[binaries++ % p.awarded.length] } : config.mode === "deduction" ? { faults: a.criterion === "D" ? Math.floor(p.faults / 2) : p.faults } : { measured: round2(p.dev * (ai % 3 === 2 ? 1.5 : 1)) };
      const value = measurementMark(a.maxMark, config, entry);
      await prisma.mark.create({ data: { submissionId: sub.id, aspectId: a.id, markerId: markers[0].id, measured: entry.measured ?? null, faults: entry.faults ?? null, awarded: entry.awarded ?? null, value, createdAt, updatedAt: createdAt } });
      rows.push({ id: a.id, mark: value, maxMark: a.maxMark, criterion: a.criterion, flagged: false });
    }
    const t = totals(rows);
    results.push({ id: l.id, raw: round2(t.total), submissionId: sub.id, name: l.name, locale: l.locale });
    await prisma.resultRelease.create({ data: { submissionId: sub.id, total: round2(t.total), passed: t.total >= lesson.markingScheme.passMark, releasedById: owner.userId, releasedAt } });
  }
  const standing = computeStanding(results.map((r) => ({ id: r.id, raw: r.raw })));
  for (const s of standing) {
    const r = results.find((x) => x.id === s.id)!;
    const t = translator(r.locale, "assessment");
    const medal = s.medal ? t(`competition.medals.${s.medal}`) : t("competitions.participation");
    await prisma.certificate.create({
      data: {
        code: encodeCode(crypto.randomBytes(10)),
        userId: r.id,
        holderName: r.name,
        kind: "competition",
        competitionId: done.id,
        titleZh: DEMO_COMPETITION_DONE,
        titleEn: DEMO_COMPETITION_DONE,
        achievement: t("competitions.achievement", { medal, rank: s.rank, field: standing.length, score: s.standardised, raw: s.raw }),
        issuerName: owner.user.name,
        orgName: "SkillRelay",
        locale: r.locale,
        issuedAt: releasedAt,
      },
    });
  }

  // The next round, in a week: same competitors and markers, nothing handed in yet.
  const nextStart = new Date(now.getTime() + 7 * DAY);
  await prisma.competition.create({
    data: {
      title: DEMO_COMPETITION_NEXT,
      description,
      lessonId: lesson.id,
      createdById: owner.userId,
      startsAt: nextStart,
      endsAt: new Date(nextStart.getTime() + 2 * 3_600_000),
      modules: { create: modules },
      participants: { create: learners.map((l) => ({ userId: l.id })) },
      markers: { create: markers.map((m) => ({ userId: m.id })) },
    },
  });
  return 2;
}
