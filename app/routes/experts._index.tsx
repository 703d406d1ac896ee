import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ExpertCard, socialMeta } from "~/components/content/ui";
import { EmptyState, Page } from "~/components/ui/layout";
import { getUser } from "~/domains/auth/session.server";
import { listVerifiedExperts } from "~/domains/content/experts.server";
import { i18next } from "~/i18next.server";
import { formatDateTime } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const dates = await dateOptions(request, user);
  const t = await i18next.getFixedT(dates.locale, "content");
  const experts = await listVerifiedExperts({ slots: 3 });
  return {
    title: t("experts.title"),
    lead: t("experts.lead"),
    experts: experts.map((e) => ({ ...e, skills: dates.locale === "en" ? e.skillsEn : e.skills, slots: e.slots.map((s) => formatDateTime(s, dates)) })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? socialMeta({ title: data.title, description: data.lead }) : []);

export default function ExpertsIndex() {
  const { t } = useTranslation("content");
  const { experts, title, lead } = useLoaderData<typeof loader>();
  return (
    <Page title={title} lead={lead}>
      {experts.length ? (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {experts.map((e) => (
            <ExpertCard key={e.id} e={e} />
          ))}
        </ul>
      ) : (
        <EmptyState>{t("experts.empty")}</EmptyState>
      )}
    </Page>
  );
}
