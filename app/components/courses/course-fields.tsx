import { useTranslation } from "react-i18next";
import { TextField } from "~/components/ui/forms";
import { COURSE_LANGUAGES, LEVELS } from "~/domains/courses/options";
import { useRootData } from "~/utils/use-root";

type Values = Partial<Record<"title" | "summary" | "categoryId" | "level" | "language", string>>;

/** The course metadata fields, shared by "new course" and the editor. */
export function CourseFields({
  categories,
  errors,
  values,
}: {
  categories: { id: string; nameEn: string; nameZh: string }[];
  errors?: Partial<Record<string, string>>;
  values?: Values;
}) {
  const { t } = useTranslation("courses");
  const { locale } = useRootData();
  const err = (k: string) => (errors?.[k] ? t(errors[k]!) : undefined);
  const select = "block w-full rounded-md border border-slate-300 px-3 py-2";
  return (
    <>
      <TextField label={t("editor.titleLabel")} name="title" required maxLength={120} defaultValue={values?.title} error={err("title")} />
      <div className="space-y-1">
        <label htmlFor="field-summary" className="block text-sm font-medium text-slate-700">{t("editor.summaryLabel")}</label>
        <textarea id="field-summary" name="summary" rows={4} maxLength={2000} defaultValue={values?.summary} className={select} />
        {err("summary") ? <p role="alert" className="text-sm text-red-600">{err("summary")}</p> : null}
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <div className="space-y-1">
          <label htmlFor="field-categoryId" className="block text-sm font-medium text-slate-700">{t("editor.categoryLabel")}</label>
          <select id="field-categoryId" name="categoryId" required defaultValue={values?.categoryId ?? ""} className={select}>
            <option value="" disabled>—</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>{locale === "en" ? c.nameEn : c.nameZh}</option>
            ))}
          </select>
          {err("categoryId") ? <p role="alert" className="text-sm text-red-600">{err("categoryId")}</p> : null}
        </div>
        <div className="space-y-1">
          <label htmlFor="field-level" className="block text-sm font-medium text-slate-700">{t("editor.levelLabel")}</label>
          <select id="field-level" name="level" defaultValue={values?.level ?? "beginner"} className={select}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>{t(`levels.${l}`)}</option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="field-language" className="block text-sm font-medium text-slate-700">{t("editor.languageLabel")}</label>
          <select id="field-language" name="language" defaultValue={values?.language ?? locale} className={select}>
            {COURSE_LANGUAGES.map((l) => (
              <option key={l} value={l}>{t(`languages.${l}`)}</option>
            ))}
          </select>
        </div>
      </div>
    </>
  );
}
