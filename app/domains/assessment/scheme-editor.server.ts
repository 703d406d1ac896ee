// The marking-scheme editor (issue 11, decision 028): add, edit, delete, move and duplicate a
// section, criterion or aspect. Each change rewrites the tree through replaceScheme — one
// transaction with its audit entry, refused (409) once marking has started. The ids in a form
// are looked up in this scheme's own tree; anything else is a 404.
import type { z } from "zod";
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { badRequest, parseOr400 } from "~/utils/input.server";
import { replaceScheme, schemeForEditor, toInput } from "./marking.server";
import { nextCriterionCode, type AspectInput, type SchemeInput } from "./scheme";
import { aspectFormSchema, criterionFormSchema, MAX_SCHEME_ASPECTS, MAX_SCHEME_CRITERIA, MAX_SCHEME_SECTIONS, schemeEditSchema, sectionFormSchema } from "./validation";

type Actor = Pick<AuthUser, "id" | "role" | "name">;
type Path = { section: number; criterion?: number; aspect?: number };
/** Field name → translation key, for the form that was sent. */
export type FieldErrors = Record<string, string>;
export type EditResult = { ok: true } | { ok: false; status: 400 | 409; errors: FieldErrors };

type Tree = NonNullable<Awaited<ReturnType<typeof schemeForEditor>>["scheme"]>;

function locate(tree: Tree, id: string): Path | null {
  for (const [si, s] of tree.sections.entries()) {
    if (s.id === id) return { section: si };
    for (const [ci, c] of s.criteria.entries()) {
      if (c.id === id) return { section: si, criterion: ci };
      const ai = c.aspects.findIndex((a) => a.id === id);
      if (ai >= 0) return { section: si, criterion: ci, aspect: ai };
    }
  }
  return null;
}

const levelOf = (p: Path) => (p.aspect !== undefined ? "aspect" : p.criterion !== undefined ? "criterion" : "section");

function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) out[String(issue.path[0] ?? "form")] ??= issue.message;
  return out;
}

/** Has anyone marked against this scheme? Then the tree is locked. */
export async function schemeLocked(schemeId: string) {
  return (await prisma.mark.count({ where: { aspect: { criterion: { section: { schemeId } } } } })) > 0;
}

function swap<T>(xs: T[], i: number, j: number) {
  if (j < 0 || j >= xs.length) return;
  [xs[i], xs[j]] = [xs[j], xs[i]];
}

/** The scheme as input, each row carrying its id so that replaceScheme keeps it. */
function withIds(scheme: Tree): SchemeInput {
  const input = toInput(scheme);
  input.sections.forEach((s, si) => {
    Object.assign(s, { id: scheme.sections[si].id });
    s.criteria.forEach((c, ci) => {
      Object.assign(c, { id: scheme.sections[si].criteria[ci].id });
      c.aspects.forEach((a, ai) => Object.assign(a, { id: scheme.sections[si].criteria[ci].aspects[ai].id }));
    });
  });
  return input;
}

/** A deep copy without ids: a duplicate gets new rows. */
function copyOf<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === "id" ? undefined : v)));
}
const copyAspect = (a: AspectInput): AspectInput => copyOf(a);

/** Apply one editor form to the scheme of a task lesson. */
export async function editScheme(user: Actor, courseId: string, lessonId: string, fields: Record<string, unknown>): Promise<EditResult> {
  const editor = await schemeForEditor(user, courseId, lessonId); // 404 / 403 first
  if (!editor.scheme || !editor.input) throw badRequest("Create the scheme first", 409);
  const op = parseOr400(schemeEditSchema, fields, "scheme change");
  if (await schemeLocked(editor.scheme.id)) return { ok: false, status: 409, errors: { form: "editor.errors.locked" } };
  const next = withIds(editor.scheme);
  const path = op.intent === "addSection" ? null : locate(editor.scheme, op.targetId);
  if (op.intent !== "addSection" && !path) throw badRequest("Not part of this scheme", 404);
  const need = (level: "section" | "criterion" | "aspect") => {
    if (!path || levelOf(path) !== level) throw badRequest(`Not a ${level} of this scheme`, 404);
    return path;
  };
  const parse = <S extends z.ZodTypeAny>(schema: S): { ok: true; v: z.infer<S> } | { ok: false; errors: FieldErrors } => {
    const r = schema.safeParse(fields);
    return r.success ? { ok: true, v: r.data } : { ok: false, errors: fieldErrors(r.error) };
  };
  const fail = (errors: FieldErrors): EditResult => ({ ok: false, status: 400, errors });

  switch (op.intent) {
    case "addSection":
    case "editSection": {
      const r = parse(sectionFormSchema);
      if (!r.ok) return fail(r.errors);
      const v = r.v;
      if (op.intent === "addSection") {
        if (next.sections.length >= MAX_SCHEME_SECTIONS) return fail({ form: "editor.errors.tooMany" });
        next.sections.push({ name: v.name, weighting: v.weighting, criteria: [] });
      } else Object.assign(next.sections[need("section").section], { name: v.name, weighting: v.weighting });
      break;
    }
    case "addCriterion":
    case "editCriterion": {
      const r = parse(criterionFormSchema);
      if (!r.ok) return fail(r.errors);
      const v = r.v;
      if (op.intent === "addCriterion") {
        const s = next.sections[need("section").section];
        if (s.criteria.length >= MAX_SCHEME_CRITERIA) return fail({ form: "editor.errors.tooMany" });
        s.criteria.push({ code: v.code, name: v.name, aspects: [] });
      } else {
        const p = need("criterion");
        Object.assign(next.sections[p.section].criteria[p.criterion!], { code: v.code, name: v.name });
      }
      break;
    }
    case "addAspect":
    case "editAspect": {
      const r = parse(aspectFormSchema);
      if (!r.ok) return fail(r.errors);
      const v = r.v;
      const aspect = v as AspectInput;
      if (op.intent === "addAspect") {
        const p = need("criterion");
        const c = next.sections[p.section].criteria[p.criterion!];
        if (c.aspects.length >= MAX_SCHEME_ASPECTS) return fail({ form: "editor.errors.tooMany" });
        c.aspects.push(aspect);
      } else {
        const p = need("aspect");
        const list = next.sections[p.section].criteria[p.criterion!].aspects;
        list[p.aspect!] = Object.assign(aspect, { id: editor.scheme.sections[p.section].criteria[p.criterion!].aspects[p.aspect!].id });
      }
      break;
    }
    case "delete":
    case "duplicate":
    case "moveUp":
    case "moveDown": {
      const p = path!;
      const s = next.sections[p.section];
      // The list the target lives in and its index there.
      const [list, i] = p.aspect !== undefined ? [s.criteria[p.criterion!].aspects as unknown[], p.aspect] : p.criterion !== undefined ? [s.criteria as unknown[], p.criterion] : [next.sections as unknown[], p.section];
      if (op.intent === "delete") list.splice(i, 1);
      else if (op.intent === "moveUp") swap(list, i, i - 1);
      else if (op.intent === "moveDown") swap(list, i, i + 1);
      else {
        const max = p.aspect !== undefined ? MAX_SCHEME_ASPECTS : p.criterion !== undefined ? MAX_SCHEME_CRITERIA : MAX_SCHEME_SECTIONS;
        if (list.length >= max) return fail({ form: "editor.errors.tooMany" });
        if (p.aspect !== undefined) list.splice(i + 1, 0, copyAspect(s.criteria[p.criterion!].aspects[i]));
        else if (p.criterion !== undefined) {
          const copy = copyOf(s.criteria[i]);
          copy.code = nextCriterionCode(s.criteria.map((c) => c.code));
          list.splice(i + 1, 0, copy);
        } else list.splice(i + 1, 0, { ...copyOf(s), name: `${s.name} (2)`.slice(0, 120) });
      }
      break;
    }
  }
  try {
    await replaceScheme(user, lessonId, next, undefined, `edit.${op.intent}`);
  } catch (err) {
    if (err instanceof Response && err.status === 409) return { ok: false, status: 409, errors: { form: "editor.errors.locked" } };
    throw err;
  }
  return { ok: true };
}

/** The tree with its ids, for the editor's forms. */
export function editorTree(scheme: Tree) {
  return scheme.sections.map((s) => ({
    id: s.id,
    name: s.name,
    weighting: s.weighting,
    criteria: s.criteria.map((c) => ({
      id: c.id,
      code: c.code,
      name: c.name,
      aspects: c.aspects.map((a) => ({
        id: a.id,
        kind: a.kind,
        description: a.description,
        maxMark: a.maxMark,
        descriptors: Array.isArray(a.descriptors) ? (a.descriptors as string[]) : [],
        measurement: (a.measurement ?? null) as AspectInput["measurement"] | null,
      })),
    })),
  }));
}
export type EditorTree = ReturnType<typeof editorTree>;
