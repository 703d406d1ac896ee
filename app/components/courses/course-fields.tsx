import { useTranslation } from "react-i18next";
import { SelectField, TextArea, TextField, type AnyField } from "~/components/ui/forms";
import { COURSE_LANGUAGES, LEVELS } from "~/domains/courses/options";
import { useRootData } from "~/utils/use-root";

/** The Conform fields of courseSchema (app/domains/courses/validation.ts). */
export type CourseFieldSet = Record<"title" | "summary" | "categoryId" | "level" | "language", AnyField>;

/**
 * The course metadata fields, shared by "new course" and the editor, inside a ConformForm:
 * the stored values go in the form's defaultValue, the reply's errors show on their fields.
 */
export function CourseFields({ categories, fields }: { categories: { id: string; nameEn: string; nameZh: string }[]; fields: CourseFieldSet }) {
  const { t } = useTranslation("courses");
  const { locale } = useRootData();
  return (
    <>
      <TextField label={t("editor.titleLabel")} field={fields.title} required maxLength={120} />
      <TextArea label={t("editor.summaryLabel")} field={fields.summary} rows={4} maxLength={2000} />
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField label={t("editor.categoryLabel")} field={fields.categoryId} required>
          <option value="" disabled>—</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>{locale === "en" ? c.nameEn : c.nameZh}</option>
          ))}
        </SelectField>
        <SelectField label={t("editor.levelLabel")} field={fields.level}>
          {LEVELS.map((l) => (
            <option key={l} value={l}>{t(`levels.${l}`)}</option>
          ))}
        </SelectField>
        <SelectField label={t("editor.languageLabel")} field={fields.language}>
          {COURSE_LANGUAGES.map((l) => (
            <option key={l} value={l}>{t(`languages.${l}`)}</option>
          ))}
        </SelectField>
      </div>
    </>
  );
}
