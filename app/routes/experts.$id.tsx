import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CompetitionRecord, RatingLine, socialMeta, VerifiedBadge } from "~/components/content/ui";
import { Notice } from "~/components/ui/feedback";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, ButtonLink, SelectField, TextField } from "~/components/ui/forms";
import { Icon } from "~/components/ui/icon";
import { Card, EmptyState, Page } from "~/components/ui/layout";
import { getUser, requireUser } from "~/domains/auth/session.server";
import { ContentError } from "~/domains/content/articles.server";
import { getVerifiedExpert, rateExpert } from "~/domains/content/experts.server";
import { idParams, ratingSchema } from "~/domains/content/validation";
import { publicUrl } from "~/domains/notifications/notify.server";
import { formatDate, formatDateTime } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";
import { parseForm } from "~/utils/forms.server";
import { parseOr400 } from "~/utils/input.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = parseOr400(idParams, params, "URL");
  const user = await getUser(request);
  const dates = await dateOptions(request, user);
  const e = await getVerifiedExpert(id, user?.id ?? null);
  if (!e) throw new Response("Not found", { status: 404 });
  return {
    expert: {
      ...e,
      skills: dates.locale === "en" ? e.skillsEn : e.skills,
      slots: e.slots.map((s) => formatDateTime(s, dates)),
      verifiedAt: formatDate(e.verifiedAt, dates),
      ratings: e.ratings.map((r) => ({ ...r, createdAt: formatDate(r.createdAt, dates) })),
    },
    loggedIn: !!user,
    url: `${publicUrl()}/experts/${e.id}`,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { id } = parseOr400(idParams, params, "URL");
  const user = await requireUser(request);
  const submission = await parseForm(request, ratingSchema, { fallback: "errors.invalid" });
  if (submission.status !== "success") return data({ ...submission.reply(), ok: false }, { status: 400 });
  try {
    await rateExpert(user.id, id, submission.value);
  } catch (err) {
    if (err instanceof ContentError) return data({ ...submission.reply({ formErrors: [err.key] }), ok: false }, { status: err.status });
    throw err;
  }
  return { ...submission.reply(), ok: true };
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? socialMeta({ title: data.expert.name, description: data.expert.bio.slice(0, 200) || data.expert.name, url: data.url, type: "profile" }) : [];

export default function ExpertProfilePage() {
  const { t } = useTranslation("content");
  const { expert: e, loggedIn } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [form, fields] = useConformForm({ id: "rating", lastResult: result, defaultValue: { stars: String(e.mine?.stars ?? 5), comment: e.mine?.comment ?? "" } });
  return (
    <Page
      title={e.name}
      lead={<VerifiedBadge />}
      actions={
        e.bookable ? (
          <ButtonLink to={`/schedule/experts/${e.id}`}>
            <Icon name="video" /> {t("experts.book")}
          </ButtonLink>
        ) : null
      }
    >
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card title={t("experts.about")}>
            {e.bio ? <p className="whitespace-pre-line text-slate-700">{e.bio}</p> : <EmptyState>{t("experts.noBio")}</EmptyState>}
            {e.skills.length ? <p className="mt-3 text-sm text-brand-700">{e.skills.join(" · ")}</p> : null}
            <p className="mt-3 text-xs text-slate-500">{t("experts.verifiedOn", { when: e.verifiedAt })}</p>
          </Card>
          <Card title={t("experts.record")}>
            {e.record.length ? <CompetitionRecord rows={e.record} resultLabel={t("experts.result")} /> : <EmptyState>{t("experts.noRecord")}</EmptyState>}
          </Card>
          <Card title={t("experts.courses")}>
            {e.courses.length ? (
              <ul className="list-inside list-disc space-y-1">
                {e.courses.map((c) => (
                  <li key={c.slug}>
                    <Link to={`/courses/${c.slug}`} className="text-brand-700 hover:underline">
                      {c.title}
                    </Link>
                  </li>
                ))}
              </ul>
            ) : (
              <EmptyState>{t("experts.noCourses")}</EmptyState>
            )}
          </Card>
          <Card title={t("experts.ratings")}>
            <RatingLine rating={e.rating} />
            {e.ratings.length ? (
              <ul className="mt-3 divide-y divide-slate-100">
                {e.ratings.map((r) => (
                  <li key={r.id} className="py-2 text-sm">
                    <p className="font-semibold">
                      {t("experts.stars", { count: r.stars })} · {r.by} · <span className="font-normal text-slate-500">{r.createdAt}</span>
                    </p>
                    {r.comment ? <p className="text-slate-700">{r.comment}</p> : null}
                  </li>
                ))}
              </ul>
            ) : null}
            {result?.ok ? <Notice tone="success">{t("experts.rated")}</Notice> : null}
            {e.mayRate ? (
              <ConformForm form={form} t={t} method="post" className="mt-4 grid gap-3 sm:grid-cols-[8rem_1fr_auto] sm:items-end">
                <SelectField label={t("experts.yourRating")} field={fields.stars}>
                  {[5, 4, 3, 2, 1].map((n) => (
                    <option key={n} value={n}>
                      {t("experts.stars", { count: n })}
                    </option>
                  ))}
                </SelectField>
                <TextField label={t("experts.comment")} field={fields.comment} maxLength={1000} />
                <Button type="submit">{t(e.mine ? "experts.updateRating" : "experts.rate")}</Button>
              </ConformForm>
            ) : (
              <p className="mt-3 text-sm text-slate-500">{t(loggedIn ? "experts.rateRule" : "experts.rateLogin")}</p>
            )}
          </Card>
        </div>
        <Card title={t("experts.nextSlots")}>
          {e.slots.length ? (
            <ul className="space-y-1 text-sm">
              {e.slots.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          ) : (
            <EmptyState>{t("experts.noSlots")}</EmptyState>
          )}
          {e.bookable ? (
            <div className="mt-4">
              <ButtonLink to={`/schedule/experts/${e.id}`}>{t("experts.book")}</ButtonLink>
            </div>
          ) : null}
        </Card>
      </div>
    </Page>
  );
}
