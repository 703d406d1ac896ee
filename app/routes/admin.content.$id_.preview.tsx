// /admin/content/:id/preview (not nested in the editor: $id_): an article (draft, scheduled or public) exactly as its public
// page shows it, in the page's language; the bar switches language (decision 029). Admins only,
// never indexed or cached.
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ArticleView } from "~/components/content/ui";
import { Button } from "~/components/ui/forms";
import { requireRole } from "~/domains/auth/session.server";
import { articlePreviewPage } from "~/domains/content/pages.server";
import { idParams } from "~/domains/content/validation";
import { LOCALES } from "~/i18n";
import { dateOptions } from "~/utils/datetime.server";
import { parseOr400 } from "~/utils/input.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.article.title ?? "Preview"} · Preview · SkillRelay` },
  { name: "robots", content: "noindex, nofollow" },
];

export const headers: HeadersFunction = () => ({ "X-Robots-Tag": "noindex, nofollow", "Cache-Control": "private, no-store" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "admin");
  const { id } = parseOr400(idParams, params, "URL");
  const page = await articlePreviewPage(user, id, await dateOptions(request, user));
  return { id, ...page };
}

export default function ArticlePreview() {
  const { t, i18n } = useTranslation("content");
  const { id, article, status, live, scheduledFor } = useLoaderData<typeof loader>();
  const here = useLocation().pathname;
  return (
    <>
      <div className="border-b border-amber-300 bg-amber-50 py-2 text-sm text-amber-900" role="status" data-testid="preview-bar">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3 px-4">
          <strong>{t("preview.banner")}</strong>
          <span>{live ? t("preview.live") : scheduledFor ? t("preview.scheduled", { when: scheduledFor }) : t("preview.draft")}</span>
          <span className="sr-only">{status}</span>
          <Form method="post" action="/set-language" className="flex gap-2">
            <input type="hidden" name="redirectTo" value={here} />
            {LOCALES.map((l) => (
              <Button key={l} type="submit" name="locale" value={l} variant="secondary" aria-pressed={i18n.language === l}>
                {t(`preview.lang.${l}`)}
              </Button>
            ))}
          </Form>
          <Link to={`/admin/content/${id}`} className="text-brand-700 underline">{t("preview.back")}</Link>
        </div>
      </div>
      <ArticleView a={article} />
    </>
  );
}
