import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ArticleGrid, socialMeta } from "~/components/content/ui";
import { Page } from "~/components/ui/layout";
import { getUser } from "~/domains/auth/session.server";
import { articleCards } from "~/domains/content/pages.server";
import { i18next } from "~/i18next.server";
import { dateOptions } from "~/utils/datetime.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const dates = await dateOptions(request, user);
  const t = await i18next.getFixedT(dates.locale, "content");
  return { items: await articleCards("policy", dates), title: t("policies.title"), lead: t("policies.lead") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? socialMeta({ title: data.title, description: data.lead }) : []);

export default function PoliciesIndex() {
  const { t } = useTranslation("content");
  const { items, title, lead } = useLoaderData<typeof loader>();
  return (
    <Page title={title} lead={lead}>
      <ArticleGrid items={items} empty={t("policies.empty")} />
    </Page>
  );
}
