// "Where do these learners go": an organisation (no class) or one of its cohorts, as one
// <select> so an organisation and a cohort of another organisation can never be combined.
import { useTranslation } from "react-i18next";
import { SelectField, type AnyField } from "~/components/ui/forms";

export interface TargetOrg {
  id: string;
  name: string;
  cohorts: Array<{ id: string; name: string }>;
}

export function TargetSelect({
  orgs,
  name = "target",
  field,
  label,
  hint,
  defaultValue,
  noneLabelKey = "target.orgOnly",
}: {
  orgs: TargetOrg[];
  name?: string;
  /** The Conform field of a ConformForm (its name, id, value after a reply and error). */
  field?: AnyField;
  label: string;
  hint?: string;
  defaultValue?: string;
  noneLabelKey?: string;
}) {
  const { t } = useTranslation("schools");
  return (
    <SelectField label={label} hint={hint} field={field} name={field ? undefined : name} defaultValue={defaultValue}>
      {orgs.map((org) => (
        <optgroup key={org.id} label={org.name}>
          <option value={`org:${org.id}`}>{t(noneLabelKey, { org: org.name })}</option>
          {org.cohorts.map((c) => (
            <option key={c.id} value={`cohort:${c.id}`}>{c.name}</option>
          ))}
        </optgroup>
      ))}
    </SelectField>
  );
}
