// Demo catalogue: skill categories, three experts, six published courses in Chinese and
// English with text, video, download and practical-task lessons. Idempotent (fixed slugs).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { PrismaClient } from "@prisma/client";
import { hashPassword } from "~/domains/auth/password.server";
import { storage } from "./storage.server";

export const CATEGORIES = [
  ["welding", "Welding", "焊接"],
  ["cnc-machining", "CNC machining", "数控加工"],
  ["electrical-installation", "Electrical installation", "电气装置"],
  ["plumbing-heating", "Plumbing and heating", "管道与制暖"],
  ["automobile-technology", "Automobile technology", "汽车技术"],
  ["cooking", "Cooking", "烹饪"],
  ["hairdressing", "Hairdressing", "美发"],
  ["web-technologies", "Web technologies", "网站技术"],
  ["mechatronics", "Mechatronics", "机电一体化"],
  ["bricklaying", "Bricklaying", "砌筑"],
  ["industrial-control", "Industrial control", "工业控制"],
  ["fashion-technology", "Fashion technology", "时装技术"],
] as const;

const EXPERTS = [
  { email: "expert@skillrelay.test", name: "王师傅 Wang Jun", bio: "" },
  { email: "zhao.welding@skillrelay.test", name: "赵国强 Zhao Guoqiang", bio: "" },
  { email: "lena.cnc@skillrelay.test", name: "Lena Hoffmann", bio: "" },
];

type L = { title: string; kind: "text" | "video" | "material" | "task"; body: string; handIn?: string; minutes: number };
type C = { slug: string; title: string; summary: string; category: string; level: "beginner" | "intermediate" | "advanced"; language: "zh-CN" | "en"; expert: number; modules: { title: string; lessons: L[] }[] };

const COURSES: C[] = [
  {
    slug: "mag-welding-basics",
    title: "熔化极气体保护焊（MAG）入门",
    summary: "从安全防护、设备调试到平焊对接，跟随世界技能大赛焊接项目教练掌握 MAG 焊的基本功。适合零基础学员。",
    category: "welding",
    level: "beginner",
    language: "zh-CN",
    expert: 1,
    modules: [
      {
        title: "安全与设备",
        lessons: [
          { title: "焊接安全防护要点", kind: "text", minutes: 15, body: "## 个人防护\n\n- 焊接面罩：遮光号 **10–13**\n- 阻燃工作服、皮手套、安全鞋\n- 通风：保证作业区域空气流通\n\n## 作业环境\n\n1. 清理 10 米内易燃物\n2. 检查地线连接\n3. 准备灭火器\n\n> 安全永远是第一位的。" },
          { title: "焊机调试演示", kind: "video", minutes: 10, body: "观看视频，注意电压与送丝速度的匹配。" },
          { title: "焊接参数参考表", kind: "material", minutes: 5, body: "下载常用板厚对应的电流、电压与气体流量参考表。" },
        ],
      },
      {
        title: "平焊对接",
        lessons: [
          { title: "坡口准备与装配", kind: "text", minutes: 20, body: "## 坡口角度\n\n板厚 6 mm 时推荐 V 形坡口，单边 30°，钝边 1 mm，间隙 2–3 mm。\n\n## 定位焊\n\n两端定位焊长度 10–15 mm，注意反变形预留。" },
          { title: "实操：6 mm 板平焊对接", kind: "task", minutes: 60, body: "按照评分标准完成一块 6 mm 低碳钢板的平焊对接。", handIn: "- 正面与背面焊缝照片各一张\n- 简述你使用的电流、电压与焊接速度" },
        ],
      },
    ],
  },
  {
    slug: "cnc-turning-fundamentals",
    title: "CNC Turning Fundamentals",
    summary: "Set up a CNC lathe, write your first G-code program and turn a shaft to drawing tolerances. Taught by a former WorldSkills CNC Turning competitor.",
    category: "cnc-machining",
    level: "beginner",
    language: "en",
    expert: 2,
    modules: [
      {
        title: "Machine and safety",
        lessons: [
          { title: "Parts of a CNC lathe", kind: "text", minutes: 15, body: "## Main parts\n\n- **Chuck** holds the workpiece\n- **Turret** carries the tools\n- **Tailstock** supports long parts\n\nAlways close the door before cycle start." },
          { title: "Setting work offsets", kind: "video", minutes: 12, body: "Watch how the Z work offset is touched off on the face of the part." },
        ],
      },
      {
        title: "Programming",
        lessons: [
          { title: "Your first G-code program", kind: "text", minutes: 25, body: "```\nG21 G40 G99\nT0101\nG96 S180 M03\nG00 X52 Z2\nG71 U1.5 R0.5\n```\n\nRead each line and write down what it does." },
          { title: "Sample program files", kind: "material", minutes: 5, body: "Download the G-code used in the videos." },
          { title: "Practical: turn the shaft", kind: "task", minutes: 90, body: "Turn the stepped shaft from the drawing.", handIn: "- A photo of the finished shaft next to a ruler\n- Your measured diameters" },
        ],
      },
    ],
  },
  {
    slug: "domestic-electrical-installation",
    title: "家庭电气安装实训",
    summary: "照明回路、插座回路与配电箱接线的规范做法，结合世界技能大赛电气装置项目评分要求讲解。",
    category: "electrical-installation",
    level: "intermediate",
    language: "zh-CN",
    expert: 0,
    modules: [
      {
        title: "识图与规范",
        lessons: [
          { title: "电气施工图识读", kind: "text", minutes: 20, body: "## 常用图例\n\n| 图例 | 含义 |\n|---|---|\n| ⊗ | 灯具 |\n| ⊥ | 插座 |\n\n先读系统图，再读平面图。" },
          { title: "配电箱接线演示", kind: "video", minutes: 15, body: "注意导线颜色：L 棕/红，N 蓝，PE 黄绿。" },
        ],
      },
      {
        title: "回路安装",
        lessons: [
          { title: "双控照明回路", kind: "text", minutes: 20, body: "两个双控开关控制一盏灯：**L 线进开关公共端**，两个开关的 L1、L2 互连。" },
          { title: "实操：完成一个双控照明回路", kind: "task", minutes: 60, body: "在实训板上完成双控照明回路并通电测试。", handIn: "接线照片与测试视频（30 秒内）" },
        ],
      },
    ],
  },
  {
    slug: "chinese-cooking-knife-skills",
    title: "中式烹调刀工基础",
    summary: "直刀、推刀、拉刀与切丝切片的基本功训练，附练习计划。",
    category: "cooking",
    level: "beginner",
    language: "zh-CN",
    expert: 0,
    modules: [
      {
        title: "刀工基本功",
        lessons: [
          { title: "握刀与站姿", kind: "text", minutes: 10, body: "身体正对砧板，双脚分开与肩同宽，左手呈**猫爪状**按住原料。" },
          { title: "土豆切丝示范", kind: "video", minutes: 8, body: "先切片再切丝，丝的粗细应均匀一致。" },
          { title: "实操：切土豆丝", kind: "task", minutes: 30, body: "切一个土豆的细丝。", handIn: "成品照片（放一把尺子作参照）" },
        ],
      },
    ],
  },
  {
    slug: "responsive-web-pages",
    title: "Responsive Web Pages for Competitions",
    summary: "Build a responsive page with semantic HTML and modern CSS the way WorldSkills Web Technologies tasks expect: accessible, fast and tested on small screens.",
    category: "web-technologies",
    level: "intermediate",
    language: "en",
    expert: 2,
    modules: [
      {
        title: "Foundations",
        lessons: [
          { title: "Semantic HTML", kind: "text", minutes: 20, body: "Use `header`, `nav`, `main`, `article` and `footer`. Every image needs an `alt`. Headings form an outline." },
          { title: "Flexbox and grid in practice", kind: "video", minutes: 15, body: "A walk through a two-column layout that collapses on phones." },
        ],
      },
      {
        title: "Competition task",
        lessons: [
          { title: "Task brief and assets", kind: "material", minutes: 5, body: "Download the brief." },
          { title: "Practical: landing page", kind: "task", minutes: 120, body: "Build the landing page from the brief in 2 hours.", handIn: "A ZIP of your project and a screenshot at 375 px width" },
        ],
      },
    ],
  },
  {
    slug: "car-engine-diagnostics",
    title: "汽车发动机故障诊断",
    summary: "使用诊断仪读取故障码、分析数据流，排除常见点火与燃油系统故障。",
    category: "automobile-technology",
    level: "advanced",
    language: "zh-CN",
    expert: 1,
    modules: [
      {
        title: "诊断流程",
        lessons: [
          { title: "故障诊断的基本流程", kind: "text", minutes: 15, body: "1. 询问客户\n2. 验证故障\n3. 读取故障码\n4. 分析数据流\n5. 确认维修并复检" },
          { title: "诊断仪使用演示", kind: "video", minutes: 12, body: "演示读取冻结帧数据。" },
          { title: "故障码速查表", kind: "material", minutes: 5, body: "常见 P 类故障码及可能原因。" },
        ],
      },
    ],
  },
];

const MATERIALS: Record<string, { name: string; content: string }> = {
  "mag-welding-basics": {
    name: "焊接参数参考表.csv",
    content: "板厚(mm),焊丝直径(mm),电流(A),电压(V),气体流量(L/min)\n3,1.0,110-130,18-19,12-15\n6,1.2,180-220,22-24,15-18\n10,1.2,240-280,26-28,18-20\n",
  },
  "cnc-turning-fundamentals": {
    name: "shaft-program.nc",
    content: "%\nO1001 (STEPPED SHAFT)\nG21 G40 G99\nT0101\nG96 S180 M03\nG00 X52 Z2\nG71 U1.5 R0.5\nG71 P10 Q20 U0.4 W0.1 F0.25\nN10 G00 X20\nG01 Z-25\nX35 Z-30\nN20 Z-60\nG70 P10 Q20\nM30\n%\n",
  },
  "responsive-web-pages": {
    name: "task-brief.md",
    content: "# Landing page brief\n\nBuild a landing page for a village cooperative. Requirements: semantic HTML, works at 375 px, Lighthouse accessibility 100.\n",
  },
  "car-engine-diagnostics": {
    name: "故障码速查表.csv",
    content: "故障码,含义,可能原因\nP0300,随机/多缸失火,火花塞、点火线圈、喷油器\nP0171,系统过稀,进气泄漏、燃油压力低\nP0420,三元催化效率低,催化器老化、氧传感器\n",
  },
};

/** A 6-second VP8 test video made with ffmpeg (Debian's), or null when ffmpeg is missing. */
function generateVideo(): string | null {
  const out = path.join(process.cwd(), ".data", "seed-lesson.webm");
  if (fs.existsSync(out)) return out;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const r = spawnSync(
    process.env.FFMPEG_BIN ?? "ffmpeg",
    ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=15:duration=6", "-f", "lavfi", "-i", "sine=frequency=440:duration=6",
      "-c:v", "libvpx", "-b:v", "300k", "-c:a", "libopus", "-b:a", "32k", "-shortest", out],
    { encoding: "utf8" },
  );
  return r.status === 0 ? out : null;
}

async function storeFile(prisma: PrismaClient, ownerId: string, sourceFile: string | null, name: string, content: string | null, mimeType: string, durationSeconds: number | null) {
  const temp = await storage.tempPath();
  if (sourceFile) fs.copyFileSync(sourceFile, temp);
  else fs.writeFileSync(temp, content ?? "");
  const size = fs.statSync(temp).size;
  const storageKey = await storage.commit(temp, path.extname(name));
  return prisma.asset.create({ data: { ownerId, storageKey, originalName: name, mimeType, sizeBytes: BigInt(size), durationSeconds } });
}

export async function seedCourses(prisma: PrismaClient, passwordForNewExperts: string) {
  for (const [i, [slug, nameEn, nameZh]] of CATEGORIES.entries()) {
    await prisma.skillCategory.upsert({ where: { slug }, create: { slug, nameEn, nameZh, sortOrder: i }, update: {} });
  }
  const experts = [];
  for (const e of EXPERTS) {
    let user = await prisma.user.findUnique({ where: { email: e.email } });
    if (!user) {
      user = await prisma.user.create({
        data: { email: e.email, name: e.name, role: "expert", emailVerifiedAt: new Date(), passwordHash: await hashPassword(passwordForNewExperts) },
      });
    }
    experts.push(user);
  }
  const existing = new Set((await prisma.course.findMany({ where: { slug: { in: COURSES.map((c) => c.slug) } }, select: { slug: true } })).map((c) => c.slug));
  const missing = COURSES.filter((c) => !existing.has(c.slug));
  if (missing.length === 0) return 0;
  const videoFile = generateVideo();
  for (const [ci, c] of missing.entries()) {
    const expert = experts[c.expert];
    const category = await prisma.skillCategory.findUniqueOrThrow({ where: { slug: c.category } });
    const course = await prisma.course.create({
      data: {
        slug: c.slug,
        title: c.title,
        summary: c.summary,
        categoryId: category.id,
        level: c.level,
        language: c.language,
        status: "published",
        publishedAt: new Date(Date.now() - (missing.length - ci) * 86400_000),
        authors: { create: { userId: expert.id, role: "owner" } },
      },
    });
    for (const [mi, m] of c.modules.entries()) {
      const mod = await prisma.courseModule.create({ data: { courseId: course.id, title: m.title, position: mi } });
      for (const [li, l] of m.lessons.entries()) {
        let assetId: string | null = null;
        if (l.kind === "video" && videoFile) {
          assetId = (await storeFile(prisma, expert.id, videoFile, "lesson.webm", null, "video/webm", 6)).id;
        } else if (l.kind === "material" && MATERIALS[c.slug]) {
          const mat = MATERIALS[c.slug];
          const mime = mat.name.endsWith(".csv") ? "text/csv" : "text/plain";
          assetId = (await storeFile(prisma, expert.id, null, mat.name, mat.content, mime, null)).id;
        }
        await prisma.lesson.create({
          data: { moduleId: mod.id, title: l.title, kind: l.kind, body: l.body, taskHandIn: l.handIn ?? "", position: li, durationMinutes: l.minutes, assetId },
        });
      }
    }
  }
  return missing.length;
}
