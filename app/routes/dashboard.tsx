import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/domains/auth/session.server";

export const meta: MetaFunction = () => [{ title: "Dashboard · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { user: { name: user.name, email: user.email, role: user.role } };
}

export default function Dashboard() {
  const { t } = useTranslation();
  const { user } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-6xl px-4 py-10">
      <h1 className="text-2xl font-bold" data-testid="dashboard-title">{t("dashboard.title", { name: user.name })}</h1>
      <p className="mt-1 text-slate-600">{t("dashboard.signedInAs", { email: user.email, role: t(`roles.${user.role}`) })}</p>
      <div className="mt-8 grid gap-4 sm:grid-cols-2">
        <section className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <h2 className="text-lg font-semibold">{t("dashboard.liveTitle")}</h2>
          <p className="mt-1 text-sm text-slate-600">{t("dashboard.liveBody")}</p>
          <Link to="/live" className="mt-4 inline-block rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
            {t("home.ctaLive")}
          </Link>
        </section>
        <section className="rounded-xl border border-dashed border-slate-300 bg-white/60 p-6 text-slate-600">
          <p>{t("dashboard.comingSoon")}</p>
        </section>
      </div>
    </div>
  );
}
