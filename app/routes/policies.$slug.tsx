import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ArticleView, socialMeta } from "~/components/content/ui";
import { getUser } from "~/domains/auth/session.server";
import { articlePage } from "~/domains/content/pages.server";
import { slugParams } from "~/domains/content/validation";
import { dateOptions } from "~/utils/datetime.server";
import { parseOr400 } from "~/utils/input.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { slug } = parseOr400(slugParams, params, "URL");
  const user = await getUser(request);
  return articlePage("policy", slug, await dateOptions(request, user));
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? socialMeta({ title: data.article.title, description: data.article.summary, url: data.url, image: data.image, type: "article" }) : [];

export default function PolicyPage() {
  const { article } = useLoaderData<typeof loader>();
  return <ArticleView a={article} />;
}
