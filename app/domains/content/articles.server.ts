// Policy articles and success stories (issue 10). "Public" is computed at query time:
// status published or scheduled, with publishAt <= now. Drafts and future scheduled
// articles are never returned by the public functions (their pages are 404s).
import type { Article, ArticleKind, Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import { recordAudit } from "~/domains/audit/audit.server";
import { imageMarkdown, renderMarkdown } from "~/domains/courses/markdown.server";
import { notePublicContentChangeAt } from "~/domains/public-content.server";
import { toLocalInput, zonedTimeToUtc } from "~/domains/scheduling/tz";
import type { ArticleInput } from "./validation";

export class ContentError extends Error {
  constructor(
    public key: string,
    public status = 400,
  ) {
    super(key);
  }
}

interface Actor {
  id: string;
  name: string;
  role: string;
}

function assertAdmin(actor: Actor) {
  if (actor.role !== "admin") throw new Response("Only platform admins may edit content", { status: 403 });
}

export function publicWhere(now: Date = new Date()): Prisma.ArticleWhereInput {
  return { status: { in: ["published", "scheduled"] }, publishAt: { lte: now } };
}

/** Tells the page cache when the next scheduled article goes public. */
async function noteNextScheduled(now: Date) {
  const next = await prisma.article.findFirst({
    where: { status: { in: ["published", "scheduled"] }, publishAt: { gt: now } },
    orderBy: { publishAt: "asc" },
    select: { publishAt: true },
  });
  notePublicContentChangeAt(next?.publishAt);
}

export function isEnglish(locale: string) {
  return locale === "en";
}

/** The article in the page's language (zh-CN text when the English is empty). */
export function localized(a: Pick<Article, "titleZh" | "titleEn" | "summaryZh" | "summaryEn" | "bodyZh" | "bodyEn">, locale: string) {
  const en = isEnglish(locale);
  return {
    title: (en && a.titleEn) || a.titleZh,
    summary: (en && a.summaryEn) || a.summaryZh,
    body: (en && a.bodyEn) || a.bodyZh,
  };
}

const listSelect = {
  id: true,
  kind: true,
  slug: true,
  titleZh: true,
  titleEn: true,
  summaryZh: true,
  summaryEn: true,
  bodyZh: true,
  bodyEn: true,
  coverId: true,
  publishAt: true,
  updatedAt: true,
  personName: true,
  skill: true,
  regionCode: true,
} satisfies Prisma.ArticleSelect;

export async function listPublicArticles(kind: ArticleKind | null, locale: string, take = 50, now: Date = new Date()) {
  const [rows] = await Promise.all([
    prisma.article.findMany({
      where: { ...publicWhere(now), ...(kind ? { kind } : {}) },
      orderBy: [{ publishAt: "desc" }, { id: "asc" }],
      take,
      select: listSelect,
    }),
    noteNextScheduled(now),
  ]);
  const regions = await regionNames(rows.map((r) => r.regionCode), locale);
  return rows.map((r) => {
    const l = localized(r, locale);
    return {
      id: r.id,
      kind: r.kind,
      slug: r.slug,
      title: l.title,
      summary: l.summary,
      coverId: r.coverId,
      publishAt: r.publishAt!,
      updatedAt: r.updatedAt,
      personName: r.personName,
      skill: r.skill,
      region: r.regionCode ? (regions.get(r.regionCode) ?? "") : "",
    };
  });
}

async function regionNames(codes: (string | null)[], locale: string) {
  const list = [...new Set(codes.filter((c): c is string => !!c))];
  if (!list.length) return new Map<string, string>();
  const rows = await prisma.region.findMany({ where: { code: { in: list } }, select: { code: true, name: true, nameEn: true, province: true } });
  return new Map(rows.map((r) => [r.code, (isEnglish(locale) && r.nameEn) || [r.province, r.name].filter(Boolean).join(" ")]));
}

/** Ids of the images uploaded for an article's body: with its cover, the only images its Markdown shows. */
export async function articleImageIds(article: { id: string; coverId: string | null }) {
  const rows = await prisma.asset.findMany({ where: { imageOfArticleId: article.id }, select: { id: true } });
  return [...(article.coverId ? [article.coverId] : []), ...rows.map((r) => r.id)];
}

/** An article as its public page shows it, in the page's language. */
async function presentArticle(a: Article, locale: string) {
  const l = localized(a, locale);
  const region = a.regionCode ? ((await regionNames([a.regionCode], locale)).get(a.regionCode) ?? "") : "";
  return {
    id: a.id,
    kind: a.kind,
    slug: a.slug,
    title: l.title,
    summary: l.summary,
    html: renderMarkdown(l.body, { imageIds: await articleImageIds(a) }),
    coverId: a.coverId,
    publishAt: a.publishAt,
    status: a.status,
    personName: a.personName,
    skill: a.skill,
    region,
    link: a.link,
    result: a.kind === "story" ? await publicResult(a.resultCertificateId, new Date()) : null,
  };
}

/** A public article by slug, rendered; null (a 404) for drafts and future scheduled ones. */
export async function getPublicArticle(kind: ArticleKind, slug: string, locale: string, now: Date = new Date()) {
  const a = await prisma.article.findFirst({ where: { ...publicWhere(now), kind, slug } });
  if (!a) return null;
  const shown = await presentArticle(a, locale);
  return { ...shown, publishAt: a.publishAt! };
}

/** Any article (draft, scheduled, public) rendered exactly as its public page would: admins only. */
export async function getArticlePreview(actor: Actor, id: string, locale: string) {
  assertAdmin(actor);
  const a = await prisma.article.findUnique({ where: { id } });
  return a ? presentArticle(a, locale) : null;
}

// ------------------------------------------------------------------ authoring (admins)

export async function listAllArticles(actor: Actor) {
  assertAdmin(actor);
  return prisma.article.findMany({
    orderBy: [{ updatedAt: "desc" }],
    select: { id: true, kind: true, slug: true, titleZh: true, titleEn: true, status: true, publishAt: true, consentRecordedAt: true, updatedAt: true },
  });
}

export async function getArticleForEdit(actor: Actor, id: string) {
  assertAdmin(actor);
  return prisma.article.findUnique({ where: { id } });
}

export async function listRegionsForPicker() {
  return prisma.region.findMany({ orderBy: { code: "asc" }, select: { code: true, name: true, nameEn: true, province: true }, take: 5000 });
}

/** The columns an input sets, with the publish rules applied (consent, schedule). */
function articleData(input: ArticleInput, existing: Pick<Article, "consentRecordedAt" | "publishAt"> | null, timeZone: string, now: Date) {
  let publishAt: Date | null = null;
  if (input.publishAt) {
    const [date, time] = input.publishAt.split("T");
    const [h, m, sec = 0] = time.split(":").map(Number);
    publishAt = new Date(zonedTimeToUtc(date, h * 60 + m, timeZone).getTime() + sec * 1000);
    if (Number.isNaN(publishAt.getTime())) throw new ContentError("errors.badDate");
  }
  if (input.status === "scheduled" && !publishAt) throw new ContentError("errors.publishAtRequired");
  if (input.status === "published" && !publishAt) publishAt = existing?.publishAt && existing.publishAt <= now ? existing.publishAt : now;
  const story = input.kind === "story";
  const consentRecordedAt = story && input.consent === "on" ? (existing?.consentRecordedAt ?? now) : null;
  if (story && input.status !== "draft" && !consentRecordedAt) throw new ContentError("errors.consentRequired");
  if (story && input.status !== "draft" && !input.personName.trim()) throw new ContentError("errors.personRequired");
  return {
    kind: input.kind,
    slug: input.slug,
    titleZh: input.titleZh.trim(),
    titleEn: input.titleEn.trim(),
    summaryZh: input.summaryZh.trim(),
    summaryEn: input.summaryEn.trim(),
    bodyZh: input.bodyZh,
    bodyEn: input.bodyEn,
    status: input.status,
    publishAt,
    personName: story ? input.personName.trim() : "",
    skill: story ? input.skill.trim() : "",
    regionCode: story && input.regionCode ? input.regionCode : null,
    link: story ? input.link.trim() : "",
    resultCertificateId: story && input.resultCertificateId ? input.resultCertificateId : null,
    consentRecordedAt,
    consentNote: story ? input.consentNote.trim() : "",
  };
}

async function checkRegion(code: string | null) {
  if (code && !(await prisma.region.findUnique({ where: { code }, select: { code: true } }))) throw new ContentError("errors.badRegion");
}

/**
 * A competition result a story may show (decision 034): a competition certificate that is not
 * revoked, of a competition whose results were released (and not cancelled). Results pages
 * are only for those involved; the certificate's /verify page is the public view of a result.
 */
const linkableResult = (now: Date): Prisma.CertificateWhereInput => ({ kind: "competition", revokedAt: null, competition: { releasedAt: { not: null, lte: now }, cancelledAt: null } });

async function checkResult(id: string | null, now: Date) {
  if (id && !(await prisma.certificate.findFirst({ where: { id, ...linkableResult(now) }, select: { id: true } }))) throw new ContentError("errors.badResult");
}

/** The released competition results an admin can link a story to, newest first, labelled for the picker. */
export async function storyResultOptions(actor: Actor, now: Date = new Date()) {
  assertAdmin(actor);
  const rows = await prisma.certificate.findMany({
    where: linkableResult(now),
    orderBy: [{ issuedAt: "desc" }, { id: "asc" }],
    take: 300,
    select: { id: true, holderName: true, achievement: true, competition: { select: { title: true } } },
  });
  return rows.map((r) => ({ id: r.id, label: `${r.holderName} · ${r.competition?.title ?? ""} · ${r.achievement}` }));
}

/** The story's linked result as the public page shows it, or null when it is no longer linkable (revoked, say). */
async function publicResult(certificateId: string | null, now: Date) {
  if (!certificateId) return null;
  const c = await prisma.certificate.findFirst({ where: { id: certificateId, ...linkableResult(now) }, select: { code: true, holderName: true, achievement: true, competition: { select: { title: true } } } });
  return c ? { code: c.code, holderName: c.holderName, achievement: c.achievement, competition: c.competition?.title ?? "" } : null;
}

function auditView(a: Pick<Article, "kind" | "slug" | "titleZh" | "status" | "publishAt" | "consentRecordedAt" | "coverId"> & { resultCertificateId?: string | null }) {
  return { kind: a.kind, slug: a.slug, titleZh: a.titleZh, status: a.status, publishAt: a.publishAt, consentRecordedAt: a.consentRecordedAt, coverId: a.coverId, resultCertificateId: a.resultCertificateId ?? null };
}

function isUniqueViolation(err: unknown) {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

export async function createArticle(actor: Actor, input: ArticleInput, timeZone: string, now: Date = new Date()) {
  assertAdmin(actor);
  const data = articleData(input, null, timeZone, now);
  await checkRegion(data.regionCode);
  await checkResult(data.resultCertificateId, now);
  try {
    return await prisma.$transaction(async (tx) => {
      const a = await tx.article.create({ data: { ...data, authorId: actor.id } });
      await recordAudit(tx, { actor, action: "content.create", subjectType: "Article", subjectId: a.id, after: auditView(a) });
      return a;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ContentError("errors.slugTaken");
    throw err;
  }
}

export async function updateArticle(actor: Actor, id: string, input: ArticleInput, timeZone: string, now: Date = new Date()) {
  assertAdmin(actor);
  const existing = await prisma.article.findUnique({ where: { id } });
  if (!existing) throw new ContentError("errors.notFound", 404);
  const data = articleData(input, existing, timeZone, now);
  await checkRegion(data.regionCode);
  // A link saved earlier stays as it is even if it is no longer shown (a revoked certificate): only a new one is checked.
  if (data.resultCertificateId !== existing.resultCertificateId) await checkResult(data.resultCertificateId, now);
  try {
    return await prisma.$transaction(async (tx) => {
      const a = await tx.article.update({ where: { id }, data });
      await recordAudit(tx, { actor, action: "content.update", subjectType: "Article", subjectId: id, before: auditView(existing), after: auditView(a) });
      return a;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ContentError("errors.slugTaken");
    throw err;
  }
}

export async function deleteArticle(actor: Actor, id: string) {
  assertAdmin(actor);
  const existing = await prisma.article.findUnique({ where: { id } });
  if (!existing) throw new ContentError("errors.notFound", 404);
  await prisma.$transaction(async (tx) => {
    await tx.article.delete({ where: { id } });
    await recordAudit(tx, { actor, action: "content.delete", subjectType: "Article", subjectId: id, before: auditView(existing) });
  });
}

export async function setArticleCover(actor: Actor, id: string, assetId: string) {
  assertAdmin(actor);
  const existing = await prisma.article.findUnique({ where: { id } });
  if (!existing) throw new ContentError("errors.notFound", 404);
  await prisma.$transaction(async (tx) => {
    const a = await tx.article.update({ where: { id }, data: { coverId: assetId } });
    await recordAudit(tx, { actor, action: "content.cover", subjectType: "Article", subjectId: id, before: auditView(existing), after: auditView(a) });
  });
}

/** The images uploaded for an article's body, newest first, with the Markdown that shows each. */
export async function articleBodyImages(actor: Actor, id: string) {
  assertAdmin(actor);
  const rows = await prisma.asset.findMany({ where: { imageOfArticleId: id }, orderBy: { createdAt: "desc" }, take: 50, select: { id: true, originalName: true } });
  return rows.map((r) => ({ id: r.id, name: r.originalName, markdown: imageMarkdown(r.id, r.originalName) }));
}

/** Records an uploaded body image (already stored with imageOfArticleId) in the audit log. */
export async function noteArticleBodyImage(actor: Actor, id: string, assetId: string) {
  assertAdmin(actor);
  await recordAudit(prisma, { actor, action: "content.image", subjectType: "Article", subjectId: id, after: { assetId } });
}

/** Whether an asset is the cover of a public article (media.$assetId lets anyone read it). */
export async function isPublicArticleCover(assetId: string, now: Date = new Date()) {
  return !!(await prisma.article.findFirst({ where: { ...publicWhere(now), coverId: assetId }, select: { id: true } }));
}

export function editorValues(a: Article, timeZone: string) {
  return {
    kind: a.kind,
    slug: a.slug,
    titleZh: a.titleZh,
    titleEn: a.titleEn,
    summaryZh: a.summaryZh,
    summaryEn: a.summaryEn,
    bodyZh: a.bodyZh,
    bodyEn: a.bodyEn,
    status: a.status,
    publishAt: toLocalInput(a.publishAt, timeZone),
    personName: a.personName,
    skill: a.skill,
    regionCode: a.regionCode ?? "",
    link: a.link,
    resultCertificateId: a.resultCertificateId ?? "",
    consent: a.consentRecordedAt !== null,
    consentNote: a.consentNote,
  };
}
