// The marking-scheme editor (issue 11): plain forms with intent=…, so it works without
// JavaScript; each change is one POST. Values typed into a form that was refused come back
// from the action and are shown again with the errors beside the fields.
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Badge, Notice } from "~/components/ui/feedback";
import { Button, ConfirmButton, SelectField, TextField } from "~/components/ui/forms";
import { criterionMarks, nextCriterionCode, sectionMarks, sectionTarget, type MeasurementConfig, type SchemeInput } from "~/domains/assessment/scheme";

export type EditorAspect = { id: string; kind: "measurement" | "judgement"; description: string; maxMark: number; descriptors: string[]; measurement: MeasurementConfig | null | undefined };
export type EditorCriterion = { id: string; code: string; name: string; aspects: EditorAspect[] };
export type EditorSection = { id: string; name: string; weighting: number; criteria: EditorCriterion[] };
/** A refused form: which one (intent:targetId), its errors (field → key) and what was typed. */
export type EditorFailure = { form: string; errors: Record<string, string>; values: Record<string, string> };

type Props = { sections: EditorSection[]; scheme: SchemeInput; failure?: EditorFailure };

function useFormState(failure: EditorFailure | undefined, key: string) {
  const { t } = useTranslation("assessment");
  const mine = failure?.form === key ? failure : undefined;
  return {
    open: mine !== undefined,
    value: (name: string, fallback: string | number | undefined) => (mine ? (mine.values[name] ?? "") : (fallback ?? "")),
    error: (name: string) => (mine?.errors[name] ? t(mine.errors[name]) : undefined),
    formError: mine?.errors.form ? t(mine.errors.form) : undefined,
  };
}

function Hidden({ intent, targetId }: { intent: string; targetId?: string }) {
  return (
    <>
      <input type="hidden" name="intent" value={intent} />
      {targetId ? <input type="hidden" name="targetId" value={targetId} /> : null}
    </>
  );
}

/** Move up / down, duplicate and delete for one section, criterion or aspect. */
function Controls({ id, what, first, last }: { id: string; what: string; first: boolean; last: boolean }) {
  const { t } = useTranslation("assessment");
  return (
    <Form method="post" className="flex flex-wrap items-center gap-2" aria-label={t("editor.controlsFor", { what })}>
      <input type="hidden" name="targetId" value={id} />
      <button type="submit" name="intent" value="moveUp" disabled={first} className="rounded border border-slate-300 px-2 py-1 text-sm disabled:opacity-40" aria-label={t("editor.moveUpOf", { what })}>
        {t("editor.moveUp")}
      </button>
      <button type="submit" name="intent" value="moveDown" disabled={last} className="rounded border border-slate-300 px-2 py-1 text-sm disabled:opacity-40" aria-label={t("editor.moveDownOf", { what })}>
        {t("editor.moveDown")}
      </button>
      <button type="submit" name="intent" value="duplicate" className="rounded border border-slate-300 px-2 py-1 text-sm" aria-label={t("editor.duplicateOf", { what })}>
        {t("editor.duplicate")}
      </button>
      <ConfirmButton small label={t("editor.delete")} question={t("editor.deleteQuestion", { what })} confirmLabel={t("editor.deleteConfirm")} value="delete" />
    </Form>
  );
}

function SectionForm({ intent, targetId, section, failure }: { intent: string; targetId?: string; section?: EditorSection; failure?: EditorFailure }) {
  const { t } = useTranslation("assessment");
  const key = `${intent}:${targetId ?? ""}`;
  const f = useFormState(failure, key);
  return (
    <details open={f.open} className="rounded border border-slate-200 p-2">
      <summary className="cursor-pointer text-sm font-semibold text-brand-700">{t(intent === "addSection" ? "editor.addSection" : "editor.editSection")}</summary>
      <Form method="post" className="mt-2 grid gap-2 sm:grid-cols-3 sm:items-end">
        <Hidden intent={intent} targetId={targetId} />
        {f.formError ? <Notice tone="error">{f.formError}</Notice> : null}
        <TextField id={`${key}-name`} label={t("editor.sectionName")} name="name" defaultValue={f.value("name", section?.name)} error={f.error("name")} required maxLength={120} />
        <TextField id={`${key}-weighting`} label={t("editor.weighting")} name="weighting" type="number" step="any" min={0} max={100} defaultValue={f.value("weighting", section?.weighting)} error={f.error("weighting")} required />
        <Button type="submit">{t(intent === "addSection" ? "editor.addSection" : "editor.save")}</Button>
      </Form>
    </details>
  );
}

function CriterionForm({ intent, targetId, criterion, nextCode, failure }: { intent: string; targetId: string; criterion?: EditorCriterion; nextCode?: string; failure?: EditorFailure }) {
  const { t } = useTranslation("assessment");
  const key = `${intent}:${targetId}`;
  const f = useFormState(failure, key);
  return (
    <details open={f.open} className="rounded border border-slate-200 p-2">
      <summary className="cursor-pointer text-sm font-semibold text-brand-700">{t(intent === "addCriterion" ? "editor.addCriterion" : "editor.editCriterion")}</summary>
      <Form method="post" className="mt-2 grid gap-2 sm:grid-cols-3 sm:items-end">
        <Hidden intent={intent} targetId={targetId} />
        {f.formError ? <Notice tone="error">{f.formError}</Notice> : null}
        <TextField id={`${key}-code`} label={t("editor.code")} name="code" defaultValue={f.value("code", criterion?.code ?? nextCode)} error={f.error("code")} required maxLength={3} />
        <TextField id={`${key}-name`} label={t("editor.criterionName")} name="name" defaultValue={f.value("name", criterion?.name)} error={f.error("name")} required maxLength={200} />
        <Button type="submit">{t(intent === "addCriterion" ? "editor.addCriterion" : "editor.save")}</Button>
      </Form>
    </details>
  );
}

const bandsText = (m: MeasurementConfig | null | undefined) => (m?.mode === "bands" ? m.bands.map((b) => `${b.upTo}=${b.fraction}`).join("; ") : "");

function AspectForm({ intent, targetId, aspect, failure }: { intent: string; targetId: string; aspect?: EditorAspect; failure?: EditorFailure }) {
  const { t } = useTranslation("assessment");
  const key = `${intent}:${targetId}`;
  const f = useFormState(failure, key);
  const m = aspect?.measurement;
  return (
    <details open={f.open} className="rounded border border-slate-200 p-2">
      <summary className="cursor-pointer text-sm font-semibold text-brand-700">{t(intent === "addAspect" ? "editor.addAspect" : "editor.editAspect")}</summary>
      <Form method="post" className="mt-2 grid gap-2 sm:grid-cols-2">
        <Hidden intent={intent} targetId={targetId} />
        {f.formError ? <Notice tone="error">{f.formError}</Notice> : null}
        <SelectField id={`${key}-kind`} label={t("editor.kind")} name="kind" defaultValue={f.value("kind", aspect?.kind ?? "measurement")} error={f.error("kind")}>
          <option value="measurement">{t("editor.kindM")}</option>
          <option value="judgement">{t("editor.kindJ")}</option>
        </SelectField>
        <TextField id={`${key}-maxMark`} label={t("editor.maxMark")} name="maxMark" type="number" step="any" min={0} defaultValue={f.value("maxMark", aspect?.maxMark)} error={f.error("maxMark")} required />
        <div className="sm:col-span-2">
          <TextField id={`${key}-description`} label={t("editor.description")} name="description" defaultValue={f.value("description", aspect?.description)} error={f.error("description")} required maxLength={500} />
        </div>
        <fieldset className="space-y-2 rounded border border-slate-200 p-2 sm:col-span-2">
          <legend className="px-1 text-sm font-medium">{t("editor.measurementRule")}</legend>
          <SelectField id={`${key}-mode`} label={t("editor.mode")} name="mode" defaultValue={f.value("mode", m?.mode ?? "binary")} error={f.error("mode")}>
            <option value="binary">{t("editor.modeBinary")}</option>
            <option value="bands">{t("editor.modeBands")}</option>
            <option value="deduction">{t("editor.modeDeduction")}</option>
          </SelectField>
          <TextField id={`${key}-bands`} label={t("editor.bands")} hint={t("editor.bandsHint")} name="bands" defaultValue={f.value("bands", bandsText(m))} error={f.error("bands")} maxLength={500} />
          <TextField id={`${key}-perFault`} label={t("editor.perFault")} name="perFault" type="number" step="any" min={0} defaultValue={f.value("perFault", m?.mode === "deduction" ? m.perFault : "")} error={f.error("perFault")} />
        </fieldset>
        <fieldset className="grid gap-2 rounded border border-slate-200 p-2 sm:col-span-2 sm:grid-cols-2">
          <legend className="px-1 text-sm font-medium">{t("editor.descriptors")}</legend>
          {[0, 1, 2, 3].map((n) => (
            <TextField key={n} id={`${key}-d${n}`} label={t("editor.descriptor", { n })} name={`d${n}`} defaultValue={f.value(`d${n}`, aspect?.descriptors[n])} error={f.error(`d${n}`)} maxLength={500} />
          ))}
        </fieldset>
        <div>
          <Button type="submit">{t(intent === "addAspect" ? "editor.addAspect" : "editor.save")}</Button>
        </div>
      </Form>
    </details>
  );
}

export function SchemeEditor({ sections, scheme, failure }: Props) {
  const { t } = useTranslation("assessment");
  return (
    <div className="space-y-4">
      <ol className="space-y-4">
        {sections.map((s, si) => (
          <li key={s.id} className="space-y-2 rounded-md border border-slate-300 p-3" data-testid="editor-section">
            <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
              <h3 className="font-semibold">
                {si + 1}. {s.name}{" "}
                <span className="text-sm font-normal text-slate-600">{t("scheme.sectionMarks", { weighting: s.weighting, marks: sectionMarks(scheme.sections[si]), target: sectionTarget(scheme, scheme.sections[si]) })}</span>
              </h3>
              <Controls id={s.id} what={t("editor.whatSection", { n: si + 1 })} first={si === 0} last={si === sections.length - 1} />
            </div>
            <SectionForm intent="editSection" targetId={s.id} section={s} failure={failure} />
            <ul className="space-y-2">
              {s.criteria.map((c, ci) => (
                <li key={c.id} className="space-y-2 rounded border border-slate-200 p-2" data-testid="editor-criterion">
                  <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
                    <p className="font-medium">
                      {c.code} {c.name} <span className="text-sm font-normal text-slate-600">({criterionMarks(scheme.sections[si].criteria[ci])})</span>
                    </p>
                    <Controls id={c.id} what={t("editor.whatCriterion", { code: c.code })} first={ci === 0} last={ci === s.criteria.length - 1} />
                  </div>
                  <CriterionForm intent="editCriterion" targetId={c.id} criterion={c} failure={failure} />
                  <ul className="space-y-2 pl-0 sm:pl-4">
                    {c.aspects.map((a, ai) => (
                      <li key={a.id} className="space-y-2 border-t border-slate-100 pt-2 text-sm" data-testid="editor-aspect">
                        <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
                          <span>
                            <Badge tone={a.kind === "judgement" ? "info" : "neutral"}>{a.kind === "judgement" ? "J" : "M"}</Badge> {a.description} <span className="text-slate-600">· {t("scheme.maxMark", { max: a.maxMark })}</span>
                          </span>
                          <Controls id={a.id} what={t("editor.whatAspect", { code: c.code, n: ai + 1 })} first={ai === 0} last={ai === c.aspects.length - 1} />
                        </div>
                        <AspectForm intent="editAspect" targetId={a.id} aspect={a} failure={failure} />
                      </li>
                    ))}
                  </ul>
                  <AspectForm intent="addAspect" targetId={c.id} failure={failure} />
                </li>
              ))}
            </ul>
            <CriterionForm intent="addCriterion" targetId={s.id} nextCode={nextCriterionCode(s.criteria.map((c) => c.code))} failure={failure} />
          </li>
        ))}
      </ol>
      <SectionForm intent="addSection" failure={failure} />
    </div>
  );
}
