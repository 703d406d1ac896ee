// Loader/action helpers of the admin content pages (routes stay thin).
import type { AuthUser } from "~/domains/auth/roles";
import { formatDateTime, type DateOptions } from "~/utils/datetime";
import { imageMarkdown } from "~/domains/courses/markdown.server";
import { singleUploadResponse } from "~/domains/courses/uploads.server";
import { ContentError, createArticle, getArticleForEdit, listAllArticles, listRegionsForPicker, noteArticleBodyImage, setArticleCover, updateArticle } from "./articles.server";
import { parseForm } from "~/utils/forms.server";
import { articleSchema } from "./validation";

export async function adminArticleRows(user: AuthUser, dates: DateOptions) {
  const rows = await listAllArticles(user);
  const now = new Date();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    slug: r.slug,
    title: (dates.locale === "en" && r.titleEn) || r.titleZh,
    status: r.status,
    live: r.status !== "draft" && r.publishAt !== null && r.publishAt <= now,
    publishAt: r.publishAt ? formatDateTime(r.publishAt, dates) : "",
    consent: r.consentRecordedAt !== null,
  }));
}

export async function regionOptions(locale: string) {
  const rows = await listRegionsForPicker();
  return rows.map((r) => ({ code: r.code, label: `${(locale === "en" && r.nameEn) || [r.province, r.name].filter(Boolean).join(" ")} (${r.code})` }));
}

/** Validates and saves the editor's form: the saved article, or the form's reply and status. */
export async function saveArticleForm(user: AuthUser, form: FormData, timeZone: string, id: string | null) {
  const submission = await parseForm(form, articleSchema, { fallback: "errors.invalid" });
  if (submission.status !== "success") return { ok: false as const, reply: submission.reply(), status: 400 };
  try {
    const a = id ? await updateArticle(user, id, submission.value, timeZone) : await createArticle(user, submission.value, timeZone);
    return { ok: true as const, article: a };
  } catch (err) {
    if (err instanceof ContentError) return { ok: false as const, reply: submission.reply({ formErrors: [err.key] }), status: err.status };
    throw err;
  }
}

/**
 * The image upload routes of the editor: the article's cover, or an image for its body
 * (attached to the article, answered with the Markdown that shows it; decision 029).
 */
export async function articleImageUpload(request: Request, user: AuthUser, id: string, target: "cover" | "body") {
  if (!(await getArticleForEdit(user, id))) throw new Response("Not found", { status: 404 });
  return singleUploadResponse(request, {
    kind: "image",
    ownerId: user.id,
    back: `/admin/content/${id}`,
    store: target === "body" ? { imageOfArticleId: id } : undefined,
    attach: async (asset) => {
      if (target === "cover") return void (await setArticleCover(user, id, asset.id));
      await noteArticleBodyImage(user, id, asset.id);
      return { markdown: imageMarkdown(asset.id, asset.originalName) };
    },
  });
}
