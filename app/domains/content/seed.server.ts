// Demo articles (issue 10): two published policies, two published stories and one story
// scheduled a month ahead. Idempotent: an existing slug is left as it is.
import type { Prisma, PrismaClient } from "@prisma/client";

const DAY = 86_400_000;

export function demoArticles(now: Date): Omit<Prisma.ArticleUncheckedCreateInput, "authorId">[] {
  return [
    {
      kind: "policy",
      slug: "vocational-training-subsidy",
      status: "published",
      publishAt: new Date(now.getTime() - 20 * DAY),
      titleZh: "职业技能培训补贴：谁能申请、补多少、怎么领",
      titleEn: "Vocational training subsidies: who can apply, how much, how to claim",
      summaryZh: "脱贫家庭劳动力、农村转移就业劳动力参加职业技能培训并取得证书的，可按规定申领培训补贴。",
      summaryEn: "Workers from households lifted out of poverty and rural workers moving into jobs can claim a subsidy when they complete training and obtain a certificate.",
      bodyZh:
        "## 补贴对象\n\n- 脱贫家庭（含防止返贫监测对象家庭）劳动力\n- 农村转移就业劳动力、城乡未继续升学的初高中毕业生\n- 登记失业人员\n\n## 补贴标准\n\n取得**职业资格证书**或**职业技能等级证书**的，按证书等级给予补贴；初级工一般每人 1000–1500 元，中级工、高级工相应提高。具体标准以所在县人社部门公布为准。\n\n## 如何申领\n\n1. 在培训机构报名并完成培训；\n2. 参加技能评价，取得证书；\n3. 持身份证、证书和银行卡到县人社部门或通过当地政务服务平台提交申请。\n\n脱贫家庭学员在培训期间还可按规定领取**生活费补贴**。",
      bodyEn:
        "## Who can apply\n\n- Workers from households lifted out of poverty (including households monitored against falling back)\n- Rural workers moving into jobs, and school leavers who did not continue their studies\n- Registered unemployed people\n\n## How much\n\nA subsidy is paid by the level of the **vocational qualification** or **skill-level certificate** obtained; for the entry level it is usually CNY 1,000–1,500 a person, more for intermediate and advanced levels. The county human-resources bureau publishes the exact amounts.\n\n## How to claim\n\n1. Enrol with a training provider and complete the course;\n2. Take the skills assessment and obtain the certificate;\n3. Apply at the county human-resources bureau or on the local government services platform with your ID card, certificate and bank card.\n\nTrainees from households lifted out of poverty may also receive a **living-expense subsidy** during training.",
    },
    {
      kind: "policy",
      slug: "skills-assessment-services",
      status: "published",
      publishAt: new Date(now.getTime() - 10 * DAY),
      titleZh: "技能评价服务：在家门口考证",
      titleEn: "Skills assessment near home",
      summaryZh: "县级职业技能等级认定机构每月开放评价，脱贫地区考生可免缴鉴定费。",
      summaryEn: "County assessment centres hold skill-level assessments every month; candidates from poverty-alleviation counties pay no fee.",
      bodyZh:
        "## 评价方式\n\n职业技能等级认定包括理论知识考试和操作技能考核，焊工、电工、中式烹调师等工种在县职教中心即可参加。\n\n## 费用\n\n脱贫地区考生、脱贫家庭劳动力**免缴评价费用**。\n\n## 报名\n\n通过本平台完成课程后，可在课程页查看就近的评价机构和下一次开考时间。",
      bodyEn:
        "## How it works\n\nA skill-level assessment has a theory exam and a practical test; welding, electrical work, Chinese cooking and other trades can be assessed at the county vocational school.\n\n## Fees\n\nCandidates from poverty-alleviation counties and households lifted out of poverty **pay no assessment fee**.\n\n## Registering\n\nAfter finishing a course here, its page lists the nearest assessment centre and the next assessment date.",
    },
    {
      kind: "story",
      slug: "welder-from-congjiang",
      status: "published",
      publishAt: new Date(now.getTime() - 15 * DAY),
      titleZh: "从从江山村到全国焊工大赛领奖台",
      titleEn: "From a village in Congjiang to the national welding podium",
      summaryZh: "吴光明十七岁离开家乡学焊接，六年后拿下全国职业技能大赛焊接项目银牌，如今回到县职校带徒弟。",
      summaryEn: "Wu Guangming left home at seventeen to learn welding; six years later he won silver at the national skills competition and now teaches at his county's vocational school.",
      bodyZh:
        "吴光明出生在贵州从江县的一个侗族山村，家里靠几亩梯田为生。初中毕业那年，他通过“雨露计划”进入县职校焊接专业，学费和生活费都有补贴。\n\n“第一次拿焊枪，手一直抖。”他说。为了练好仰焊，他每天在实训室多留两个小时，一年用掉的焊条堆起来有半人高。\n\n六年后，他在全国职业技能大赛焊接项目中获得银牌。如今他回到县职校当实训教师，也在本平台开设焊接入门课程：“山里的孩子只要肯学，手艺就是出路。”",
      bodyEn:
        "Wu Guangming grew up in a Dong village in Congjiang County, Guizhou, where his family lived off a few terraced fields. After junior school he joined the welding programme of the county vocational school through the Rain and Dew Plan, which paid his fees and living costs.\n\n\"The first time I held a torch my hand would not stop shaking,\" he says. To master overhead welding he stayed two extra hours in the workshop every day; the electrodes he used in a year piled up half his height.\n\nSix years later he won silver in welding at the national skills competition. He is now a workshop teacher at the same school and teaches an introductory welding course here: \"If children from the mountains are willing to learn, a trade is a way out.\"",
      personName: "吴光明 Wu Guangming",
      skill: "焊接 Welding",
      regionCode: "522633",
      link: "/courses",
      consentRecordedAt: new Date(now.getTime() - 30 * DAY),
      consentNote: "书面同意书，县职校存档 / Written consent form kept by the county vocational school",
    },
    {
      kind: "story",
      slug: "electrician-from-tongwei",
      status: "published",
      publishAt: new Date(now.getTime() - 5 * DAY),
      titleZh: "通渭姑娘的电工之路",
      titleEn: "An electrician from Tongwei",
      summaryZh: "马小燕在线学完电工课程并取得中级证书，进入省城一家新能源企业，每月收入翻了两番。",
      summaryEn: "Ma Xiaoyan finished an electrical course online, earned an intermediate certificate and joined a renewable-energy company in the provincial capital, quadrupling her income.",
      bodyZh:
        "马小燕家在甘肃通渭县，高中毕业后在家照顾老人。她用手机在本平台学完电工课程，周末到县职教中心实操训练，一年后取得中级电工证书。\n\n现在她在兰州一家光伏企业做运维，收入是过去打零工的四倍。她说：“线上课可以反复看，不懂的地方还能约老师一对一讲。”",
      bodyEn:
        "Ma Xiaoyan's family lives in Tongwei County, Gansu; after high school she stayed home to look after her grandparents. She took an electrical course here on her phone and practised at the county vocational centre at weekends, earning an intermediate electrician's certificate within a year.\n\nShe now maintains solar plants for a company in Lanzhou and earns four times what she made from odd jobs. \"I could watch the online lessons again and again, and book a teacher one-to-one for the parts I did not understand.\"",
      personName: "马小燕 Ma Xiaoyan",
      skill: "电工 Electrical work",
      regionCode: "621121",
      link: "/courses",
      consentRecordedAt: new Date(now.getTime() - 12 * DAY),
      consentNote: "本人签字同意 / Signed by herself",
    },
    {
      kind: "story",
      slug: "chef-from-liping",
      status: "scheduled",
      publishAt: new Date(now.getTime() + 30 * DAY),
      titleZh: "黎平厨师的侗家菜馆",
      titleEn: "A Dong restaurant by a chef from Liping",
      summaryZh: "杨秀英考取中式烹调师证书后回乡开店，带动村里六位妇女就业。",
      summaryEn: "After qualifying as a Chinese cook, Yang Xiuying opened a restaurant at home and employs six women from her village.",
      bodyZh: "杨秀英在县职校学习中式烹调，取得证书后回到黎平开了一家侗家菜馆。",
      bodyEn: "Yang Xiuying studied Chinese cooking at the county vocational school and, once qualified, opened a Dong restaurant in Liping.",
      personName: "杨秀英 Yang Xiuying",
      skill: "中式烹调 Chinese cooking",
      regionCode: "522631",
      consentRecordedAt: new Date(now.getTime() - 3 * DAY),
      consentNote: "书面同意 / Written consent",
    },
  ];
}

export async function seedContent(prisma: PrismaClient, now: Date = new Date()) {
  const admin = await prisma.user.findFirst({ where: { role: "admin" }, orderBy: { createdAt: "asc" }, select: { id: true } });
  const existing = new Set((await prisma.article.findMany({ select: { slug: true } })).map((a) => a.slug));
  const regions = new Set((await prisma.region.findMany({ select: { code: true } })).map((r) => r.code));
  let created = 0;
  for (const a of demoArticles(now)) {
    if (existing.has(a.slug)) continue;
    await prisma.article.create({ data: { ...a, regionCode: a.regionCode && regions.has(a.regionCode) ? a.regionCode : null, authorId: admin?.id ?? null } });
    created++;
  }
  return created;
}
