import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button } from "~/components/ui/forms";
import { requireUser } from "~/domains/auth/session.server";
import { decideJoinRequest, pendingJoinRequestFor } from "~/domains/schools/join-requests.server";
import { formatDate } from "~/utils/datetime";
import { i18next } from "~/i18next.server";

export const meta: MetaFunction = () => [{ title: "Join a school · SkillRelay" }, { name: "robots", content: "noindex" }];

const notFound = () => new Response("Not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const joinRequest = await pendingJoinRequestFor(user.id, params.requestId ?? "");
  if (!joinRequest) throw notFound();
  const locale = await i18next.getLocale(request);
  return data(
    { orgName: joinRequest.org.name, cohortName: joinRequest.cohortName, sent: formatDate(joinRequest.createdAt, { locale, timeZone: user.timeZone }) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const decision = form.get("decision");
  if (decision !== "accept" && decision !== "decline") return data({ error: "badRequest" }, { status: 400 });
  if (!(await decideJoinRequest(user.id, params.requestId ?? "", decision))) throw notFound();
  throw redirect(decision === "accept" ? "/dashboard" : "/notifications");
}

export default function JoinRequest() {
  const { t } = useTranslation("schools");
  const { orgName, cohortName, sent } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="mx-auto max-w-lg px-4 py-12">
      <h1 className="text-2xl font-bold">{t("join.title", { org: orgName })}</h1>
      <p className="mt-2 text-slate-600">{t("join.lead", { org: orgName, date: sent })}</p>
      {cohortName ? <p className="mt-2 text-slate-600">{t("join.cohort", { cohort: cohortName })}</p> : null}
      <div className="mt-6 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 className="font-semibold">{t("join.seesTitle", { org: orgName })}</h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-700">
          <li>{t("join.seesContact")}</li>
          <li>{t("join.seesId")}</li>
          <li>{t("join.seesProgress")}</li>
        </ul>
        <p className="mt-3 text-sm text-slate-600">{t("join.notSees")}</p>
        <Form method="post" className="mt-6 flex flex-wrap gap-3">
          <Button type="submit" name="decision" value="accept" disabled={busy}>{t("join.accept")}</Button>
          <button type="submit" name="decision" value="decline" disabled={busy} className="rounded-md border border-slate-300 px-4 py-2 font-semibold text-slate-700 hover:bg-slate-50">
            {t("join.decline")}
          </button>
        </Form>
      </div>
    </div>
  );
}
