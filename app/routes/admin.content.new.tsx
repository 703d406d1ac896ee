import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ArticleEditor, EMPTY_ARTICLE } from "~/components/content/editor";
import { Page } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { regionOptions, saveArticleForm } from "~/domains/content/admin.server";
import { storyResultOptions } from "~/domains/content/articles.server";
import { dateOptions } from "~/utils/datetime.server";
import { readForm } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "New article · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "admin");
  const dates = await dateOptions(request, user);
  return { regions: await regionOptions(dates.locale), results: await storyResultOptions(user), timeZone: dates.timeZone };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const dates = await dateOptions(request, user);
  const result = await saveArticleForm(user, await readForm(request), dates.timeZone, null);
  if (!result.ok) return data(result.reply, { status: result.status });
  return redirect(`/admin/content/${result.article.id}?saved=1`);
}

export default function NewArticle() {
  const { t } = useTranslation("content");
  const { regions, results, timeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page title={t("admin.newTitle")} lead={t("admin.newLead")}>
      <ArticleEditor values={EMPTY_ARTICLE} regions={regions} results={results} lastResult={result} timeZone={timeZone} submitLabel={t("admin.create")} />
    </Page>
  );
}
