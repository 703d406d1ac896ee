// "Where do these learners go": an organisation (no class) or one of its cohorts, as one
// <select> so an organisation and a cohort of another organisation can never be combined.
import { useTranslation } from "react-i18next";
import { selectClass } from "~/components/ui/forms";

export interface TargetOrg {
  id: string;
  name: string;
  cohorts: Array<{ id: string; name: string }>;
}

export function TargetSelect({
  orgs,
  name = "target",
  label,
  hint,
  defaultValue,
  noneLabelKey = "target.orgOnly",
}: {
  orgs: TargetOrg[];
  name?: string;
  label: string;
  hint?: string;
  defaultValue?: string;
  noneLabelKey?: string;
}) {
  const { t } = useTranslation("schools");
  const id = `field-${name}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">{label}</label>
      <select id={id} name={name} className={selectClass} defaultValue={defaultValue} aria-describedby={hint ? `${id}-hint` : undefined}>
        {orgs.map((org) => (
          <optgroup key={org.id} label={org.name}>
            <option value={`org:${org.id}`}>{t(noneLabelKey, { org: org.name })}</option>
            {org.cohorts.map((c) => (
              <option key={c.id} value={`cohort:${c.id}`}>{c.name}</option>
            ))}
          </optgroup>
        ))}
      </select>
      {hint ? <p id={`${id}-hint`} className="text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}
