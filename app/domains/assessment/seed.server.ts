// Demo marking scheme: the welding course's plate butt weld (WorldSkills-style). Idempotent:
// only created when the task lesson has no scheme yet.
import type { PrismaClient } from "@prisma/client";
import { validateScheme, type SchemeInput } from "./scheme";

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

export async function seedAssessment(prisma: PrismaClient) {
  const lesson = await prisma.lesson.findFirst({ where: { kind: "task", title: "实操：6 mm 板平焊对接", module: { course: { slug: "mag-welding-basics" } } }, select: { id: true, markingScheme: { select: { id: true } } } });
  if (!lesson || lesson.markingScheme) return 0;
  if (validateScheme(PLATE_BUTT_WELD).length) throw new Error("demo marking scheme does not add up");
  await prisma.markingScheme.create({
    data: {
      lessonId: lesson.id,
      total: PLATE_BUTT_WELD.total,
      tolerance: PLATE_BUTT_WELD.tolerance,
      passMark: 60,
      sections: {
        create: PLATE_BUTT_WELD.sections.map((s, si) => ({
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
  return 1;
}
