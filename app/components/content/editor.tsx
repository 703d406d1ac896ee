// The admin's article editor (both languages, status and schedule, story consent).
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Notice } from "~/components/ui/feedback";
import { Button, SelectField, TextField } from "~/components/ui/forms";
import { Card } from "~/components/ui/layout";

export interface EditorValues {
  kind: string;
  slug: string;
  titleZh: string;
  titleEn: string;
  summaryZh: string;
  summaryEn: string;
  bodyZh: string;
  bodyEn: string;
  status: string;
  /** datetime-local value in the author's zone. */
  publishAt: string;
  personName: string;
  skill: string;
  regionCode: string;
  link: string;
  consent: boolean;
  consentNote: string;
}

export const EMPTY_ARTICLE: EditorValues = {
  kind: "policy",
  slug: "",
  titleZh: "",
  titleEn: "",
  summaryZh: "",
  summaryEn: "",
  bodyZh: "",
  bodyEn: "",
  status: "draft",
  publishAt: "",
  personName: "",
  skill: "",
  regionCode: "",
  link: "",
  consent: false,
  consentNote: "",
};

function Area({ label, name, defaultValue, rows = 10, maxLength }: { label: string; name: string; defaultValue: string; rows?: number; maxLength: number }) {
  return (
    <div>
      <label htmlFor={`field-${name}`} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <textarea id={`field-${name}`} name={name} rows={rows} maxLength={maxLength} defaultValue={defaultValue} className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm" />
    </div>
  );
}

export function ArticleEditor({
  values,
  regions,
  error,
  timeZone,
  submitLabel,
}: {
  values: EditorValues;
  regions: { code: string; label: string }[];
  error?: string | null;
  timeZone: string;
  submitLabel: string;
}) {
  const { t } = useTranslation("content");
  return (
    <Form method="post" className="space-y-6" data-testid="article-editor">
      <input type="hidden" name="intent" value="save" />
      {error ? <Notice tone="error">{t(error)}</Notice> : null}
      <Card title={t("admin.basics")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField label={t("admin.kind")} name="kind" defaultValue={values.kind}>
            <option value="policy">{t("kind.policy")}</option>
            <option value="story">{t("kind.story")}</option>
          </SelectField>
          <TextField label={t("admin.slug")} name="slug" defaultValue={values.slug} required maxLength={80} pattern="[a-z0-9]+(-[a-z0-9]+)*" hint={t("admin.slugHint")} />
          <SelectField label={t("admin.status")} name="status" defaultValue={values.status}>
            <option value="draft">{t("status.draft")}</option>
            <option value="published">{t("status.published")}</option>
            <option value="scheduled">{t("status.scheduled")}</option>
          </SelectField>
          <TextField label={t("admin.publishAt")} name="publishAt" type="datetime-local" step={1} defaultValue={values.publishAt} hint={t("admin.publishAtHint", { zone: timeZone })} />
        </div>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={t("admin.chinese")}>
          <div className="space-y-4">
            <TextField label={t("admin.title")} name="titleZh" defaultValue={values.titleZh} required maxLength={200} />
            <Area label={t("admin.summary")} name="summaryZh" defaultValue={values.summaryZh} rows={3} maxLength={500} />
            <Area label={t("admin.body")} name="bodyZh" defaultValue={values.bodyZh} maxLength={50000} />
          </div>
        </Card>
        <Card title={t("admin.english")}>
          <div className="space-y-4">
            <TextField label={t("admin.title")} name="titleEn" defaultValue={values.titleEn} maxLength={200} />
            <Area label={t("admin.summary")} name="summaryEn" defaultValue={values.summaryEn} rows={3} maxLength={500} />
            <Area label={t("admin.body")} name="bodyEn" defaultValue={values.bodyEn} maxLength={50000} />
          </div>
        </Card>
      </div>
      <Card title={t("admin.storyDetails")}>
        <p className="mb-3 text-sm text-slate-600">{t("admin.storyHint")}</p>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label={t("story.person")} name="personName" defaultValue={values.personName} maxLength={100} />
          <TextField label={t("story.skill")} name="skill" defaultValue={values.skill} maxLength={100} />
          <SelectField label={t("story.region")} name="regionCode" defaultValue={values.regionCode}>
            <option value="">{t("admin.noRegion")}</option>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.label}
              </option>
            ))}
          </SelectField>
          <TextField label={t("admin.link")} name="link" defaultValue={values.link} maxLength={300} hint={t("admin.linkHint")} />
        </div>
        <div className="mt-4 space-y-3 rounded-md border border-amber-200 bg-amber-50 p-3">
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="consent" value="on" defaultChecked={values.consent} className="mt-1" />
            <span>{t("admin.consent")}</span>
          </label>
          <TextField label={t("admin.consentNote")} name="consentNote" defaultValue={values.consentNote} maxLength={500} />
        </div>
      </Card>
      <Button type="submit">{submitLabel}</Button>
    </Form>
  );
}
