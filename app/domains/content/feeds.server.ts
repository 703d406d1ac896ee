// sitemap.xml and the Atom feed of policies and stories (issue 10). Only public things:
// published courses, public articles (published, or scheduled and due), verified experts.
import { Feed } from "feed";
import { prisma } from "~/domains/db.server";
import { publicUrl } from "~/domains/notifications/notify.server";
import { publicWhere } from "./articles.server";

function escapeXml(s: string) {
  return s.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);
}

export async function sitemapXml(now: Date = new Date()) {
  const base = publicUrl();
  const [courses, articles, experts] = await Promise.all([
    prisma.course.findMany({ where: { status: "published" }, select: { slug: true, updatedAt: true }, orderBy: { slug: "asc" }, take: 20_000 }),
    prisma.article.findMany({ where: publicWhere(now), select: { kind: true, slug: true, updatedAt: true }, orderBy: { slug: "asc" }, take: 20_000 }),
    prisma.expertProfile.findMany({ where: { verifiedAt: { not: null }, user: { role: { in: ["expert", "admin"] } } }, select: { userId: true, updatedAt: true }, take: 20_000 }),
  ]);
  const urls: { loc: string; lastmod?: Date }[] = [
    { loc: "/" },
    { loc: "/courses" },
    { loc: "/policies" },
    { loc: "/stories" },
    { loc: "/experts" },
    ...courses.map((c) => ({ loc: `/courses/${c.slug}`, lastmod: c.updatedAt })),
    ...articles.map((a) => ({ loc: `/${a.kind === "policy" ? "policies" : "stories"}/${a.slug}`, lastmod: a.updatedAt })),
    ...experts.map((e) => ({ loc: `/experts/${e.userId}`, lastmod: e.updatedAt })),
  ];
  const body = urls
    .map((u) => `  <url><loc>${escapeXml(base + u.loc)}</loc>${u.lastmod ? `<lastmod>${u.lastmod.toISOString()}</lastmod>` : ""}</url>`)
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>\n`;
}

export async function atomFeed(locale: string, now: Date = new Date()) {
  const base = publicUrl();
  const en = locale === "en";
  const articles = await prisma.article.findMany({
    where: publicWhere(now),
    orderBy: [{ publishAt: "desc" }, { id: "asc" }],
    take: 50,
    select: { kind: true, slug: true, titleZh: true, titleEn: true, summaryZh: true, summaryEn: true, publishAt: true, updatedAt: true, author: { select: { name: true } } },
  });
  const feed = new Feed({
    id: `${base}/feed.xml`,
    title: en ? "SkillRelay: policies and stories" : "技能接力：政策与故事",
    description: en ? "Skills-based poverty alleviation: support policies and success stories." : "技能扶贫：扶持政策与成才故事。",
    link: base,
    language: locale,
    updated: articles[0]?.updatedAt ?? now,
    generator: false,
    copyright: "SkillRelay",
    feedLinks: { atom: `${base}/feed.xml` },
  });
  for (const a of articles) {
    const link = `${base}/${a.kind === "policy" ? "policies" : "stories"}/${a.slug}`;
    feed.addItem({
      id: link,
      link,
      title: (en && a.titleEn) || a.titleZh,
      description: (en && a.summaryEn) || a.summaryZh,
      date: a.updatedAt,
      published: a.publishAt!,
      category: [{ name: a.kind }],
      author: a.author ? [{ name: a.author.name }] : undefined,
    });
  }
  return feed.atom1();
}
