import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { articlePath } from "~/components/content/ui";
import { ArticleEditor } from "~/components/content/editor";
import { Notice } from "~/components/ui/feedback";
import { Button, ButtonLink, ConfirmButton } from "~/components/ui/forms";
import { Icon } from "~/components/ui/icon";
import { Card, Page } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { regionOptions, saveArticleForm } from "~/domains/content/admin.server";
import { articleBodyImages, ContentError, deleteArticle, editorValues, getArticleForEdit, storyResultOptions } from "~/domains/content/articles.server";
import { idParams } from "~/domains/content/validation";
import { dateOptions } from "~/utils/datetime.server";
import { parseOr400, readForm } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "Edit article · SkillRelay" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "admin");
  const { id } = parseOr400(idParams, params, "URL");
  const dates = await dateOptions(request, user);
  const a = await getArticleForEdit(user, id);
  if (!a) throw new Response("Not found", { status: 404 });
  const now = new Date();
  return {
    id: a.id,
    path: articlePath(a),
    live: a.status !== "draft" && a.publishAt !== null && a.publishAt <= now,
    coverId: a.coverId,
    values: editorValues(a, dates.timeZone),
    regions: await regionOptions(dates.locale),
    results: await storyResultOptions(user, now),
    images: await articleBodyImages(user, a.id),
    timeZone: dates.timeZone,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const { id } = parseOr400(idParams, params, "URL");
  const form = await readForm(request);
  if (form.get("intent") === "delete") {
    try {
      await deleteArticle(user, id);
    } catch (err) {
      if (err instanceof ContentError) return data({ error: err.key }, { status: err.status });
      throw err;
    }
    return redirect("/admin/content?deleted=1");
  }
  const dates = await dateOptions(request, user);
  const result = await saveArticleForm(user, form, dates.timeZone, id);
  if (!result.ok) return data(result.reply, { status: result.status });
  return redirect(`/admin/content/${id}?saved=1`);
}

export default function EditArticle() {
  const { t } = useTranslation("content");
  const { id, path, live, coverId, values, regions, results, timeZone, images } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const uploadError = search.get("uploadError");
  return (
    <Page
      title={values.titleZh || t("admin.editTitle")}
      lead={live ? <Link to={path} className="text-brand-700 hover:underline">{t("admin.viewPublic")}</Link> : t("admin.notPublic")}
      actions={
        <Form method="post" className="flex flex-wrap gap-2">
          <ButtonLink to={`/admin/content/${id}/preview`} variant="secondary">{t("admin.preview")}</ButtonLink>
          <ConfirmButton label={<><Icon name="close" /> {t("admin.delete")}</>} question={t("admin.deleteConfirm")} confirmLabel={t("admin.deleteYes")} value="delete" />
        </Form>
      }
    >
      {search.get("saved") ? <Notice tone="success">{t("admin.saved")}</Notice> : null}
      {search.get("uploaded") ? <Notice tone="success">{t("admin.uploaded")}</Notice> : null}
      {uploadError ? <Notice tone="error">{t("admin.uploadFailed", { code: uploadError })}</Notice> : null}
      <Card title={t("admin.cover")}>
        <div className="flex flex-col gap-4 sm:flex-row sm:items-end">
          {coverId ? <img src={`/media/${coverId}`} alt="" className="h-32 w-56 rounded-md object-cover" /> : <p className="text-sm text-slate-500">{t("admin.noCover")}</p>}
          <ImageUpload action={`/admin/content/${id}/image`} inputId="cover-file" label={t("admin.coverFile")} accept="image/png,image/jpeg,image/webp" />
        </div>
      </Card>
      <Card title={t("admin.bodyImages")}>
        <p className="mb-3 text-sm text-slate-600">{t("admin.bodyImagesHint")}</p>
        {images.length ? (
          <ul className="mb-3 space-y-2 text-sm" data-testid="article-images">
            {images.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center gap-2">
                <img src={`/media/${i.id}`} alt="" loading="lazy" className="h-12 w-16 rounded object-cover" />
                <span className="text-slate-600">{i.name}</span>
                <code className="select-all break-all rounded bg-slate-100 px-1 text-xs">{i.markdown}</code>
              </li>
            ))}
          </ul>
        ) : null}
        <ImageUpload action={`/admin/content/${id}/body-image`} inputId="body-image-file" label={t("admin.bodyImageFile")} accept="image/png,image/jpeg,image/webp,image/gif" />
      </Card>
      <ArticleEditor key={JSON.stringify(values)} values={values} regions={regions} results={results} lastResult={result} timeZone={timeZone} submitLabel={t("admin.save")} />
    </Page>
  );
}

/** A plain multipart upload form of the editor (the page reloads with ?uploaded=1 or ?uploadError=). */
function ImageUpload({ action, inputId, label, accept }: { action: string; inputId: string; label: string; accept: string }) {
  const { t } = useTranslation("content");
  return (
    <Form method="post" action={action} encType="multipart/form-data" reloadDocument className="flex flex-wrap items-end gap-2">
      <div>
        <label htmlFor={inputId} className="block text-sm font-medium">{label}</label>
        <input id={inputId} name="file" type="file" accept={accept} required className="mt-1 block text-sm" />
      </div>
      <Button type="submit" variant="secondary">
        <Icon name="up" /> {t("admin.upload")}
      </Button>
    </Form>
  );
}
