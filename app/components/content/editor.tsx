// The admin's article editor (both languages, status and schedule, story consent).
import { useTranslation } from "react-i18next";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, Checkbox, SelectField, TextArea, TextField } from "~/components/ui/forms";
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
  /** The linked competition result (a certificate id), or "". */
  resultCertificateId: string;
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
  resultCertificateId: "",
  consent: false,
  consentNote: "",
};

const AREA = "font-mono text-sm";

export function ArticleEditor({
  values,
  regions,
  results,
  lastResult,
  timeZone,
  submitLabel,
}: {
  values: EditorValues;
  regions: { code: string; label: string }[];
  /** Released competition results a story can link (storyResultOptions). */
  results: { id: string; label: string }[];
  /** The action's reply after a refused save (what was typed comes back). */
  lastResult?: unknown;
  timeZone: string;
  submitLabel: string;
}) {
  const { t } = useTranslation("content");
  const { consent, ...stored } = values;
  const [form, fields] = useConformForm<Record<keyof EditorValues, string>>({ id: "article", lastResult, defaultValue: { ...stored, consent: consent ? "on" : "" } });
  return (
    <ConformForm form={form} t={t} method="post" className="space-y-6" data-testid="article-editor">
      <input type="hidden" name="intent" value="save" />
      <Card title={t("admin.basics")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField label={t("admin.kind")} field={fields.kind}>
            <option value="policy">{t("kind.policy")}</option>
            <option value="story">{t("kind.story")}</option>
          </SelectField>
          <TextField label={t("admin.slug")} field={fields.slug} required maxLength={80} pattern="[a-z0-9]+(-[a-z0-9]+)*" hint={t("admin.slugHint")} />
          <SelectField label={t("admin.status")} field={fields.status}>
            <option value="draft">{t("status.draft")}</option>
            <option value="published">{t("status.published")}</option>
            <option value="scheduled">{t("status.scheduled")}</option>
          </SelectField>
          <TextField label={t("admin.publishAt")} field={fields.publishAt} type="datetime-local" step={1} hint={t("admin.publishAtHint", { zone: timeZone })} />
        </div>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={t("admin.chinese")}>
          <div className="space-y-4">
            <TextField label={t("admin.title")} field={fields.titleZh} required maxLength={200} />
            <TextArea label={t("admin.summary")} field={fields.summaryZh} rows={3} maxLength={500} className={AREA} />
            <TextArea label={t("admin.body")} field={fields.bodyZh} rows={10} maxLength={50000} className={AREA} />
          </div>
        </Card>
        <Card title={t("admin.english")}>
          <div className="space-y-4">
            <TextField label={t("admin.title")} field={fields.titleEn} maxLength={200} />
            <TextArea label={t("admin.summary")} field={fields.summaryEn} rows={3} maxLength={500} className={AREA} />
            <TextArea label={t("admin.body")} field={fields.bodyEn} rows={10} maxLength={50000} className={AREA} />
          </div>
        </Card>
      </div>
      <Card title={t("admin.storyDetails")}>
        <p className="mb-3 text-sm text-slate-600">{t("admin.storyHint")}</p>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label={t("story.person")} field={fields.personName} maxLength={100} />
          <TextField label={t("story.skill")} field={fields.skill} maxLength={100} />
          <SelectField label={t("story.region")} field={fields.regionCode}>
            <option value="">{t("admin.noRegion")}</option>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.label}
              </option>
            ))}
          </SelectField>
          <TextField label={t("admin.link")} field={fields.link} maxLength={300} hint={t("admin.linkHint")} />
          <SelectField label={t("admin.result")} field={fields.resultCertificateId} hint={t("admin.resultHint")}>
            <option value="">{t("admin.noResult")}</option>
            {results.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="mt-4 space-y-3 rounded-md border border-amber-200 bg-amber-50 p-3">
          <Checkbox label={t("admin.consent")} field={fields.consent} />
          <TextField label={t("admin.consentNote")} field={fields.consentNote} maxLength={500} />
        </div>
      </Card>
      <Button type="submit">{submitLabel}</Button>
    </ConformForm>
  );
}
