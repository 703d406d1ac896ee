// /admin/skills: the skill categories courses are filed under (decision 021). Platform admins
// only; rename, reorder, add; audited.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { NamedListCreateForm, NamedListTable } from "~/components/admin/named-list";
import { AdminTabs } from "~/components/admin/ui";
import { Notice } from "~/components/ui/feedback";
import { Card, Page } from "~/components/ui/layout";
import { createSkillCategory, listSkillCategories, SkillError, updateSkillCategory } from "~/domains/admin/skills.server";
import { skillActionSchema } from "~/domains/admin/validation";
import { requireRole } from "~/domains/auth/session.server";
import { readForm } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "Skill categories · Administration · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const rows = await listSkillCategories();
  return { categories: rows.map((c) => ({ id: c.id, code: c.slug, nameZh: c.nameZh, nameEn: c.nameEn, sortOrder: c.sortOrder, courses: c._count.courses })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const parsed = skillActionSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "";
    return data({ ok: null, error: message.startsWith("skills.") ? message : "skills.errors.bad" }, { status: 400 });
  }
  const input = parsed.data;
  try {
    if (input.intent === "update") await updateSkillCategory(admin, input.id, { nameZh: input.nameZh, nameEn: input.nameEn, sortOrder: input.sortOrder });
    else await createSkillCategory(admin, { slug: input.slug, nameZh: input.nameZh, nameEn: input.nameEn, sortOrder: input.sortOrder });
  } catch (err) {
    if (err instanceof SkillError) return data({ ok: null, error: `skills.errors.${err.code}` }, { status: err.code === "not_found" ? 404 : 409 });
    throw err;
  }
  return { ok: input.intent === "update" ? "skills.saved" : "skills.added", error: null };
}

export default function AdminSkills() {
  const { t } = useTranslation("admin");
  const { categories } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const labels = { title: t("skills.title"), code: t("skills.code"), nameZh: t("skills.nameZh"), nameEn: t("skills.nameEn"), order: t("skills.order"), save: t("skills.save"), none: t("skills.none") };
  return (
    <Page title={t("skills.title")} lead={t("skills.lead")}>
      <AdminTabs />
      {result?.error ? <Notice tone="error">{t(result.error)}</Notice> : result?.ok ? <Notice tone="success">{t(result.ok)}</Notice> : null}
      <Card title={t("skills.title")}>
        <NamedListTable
          rows={categories}
          prefix="skill"
          labels={labels}
          testId="skill-list"
          extraColumns={[{ key: "courses", header: t("skills.courses"), cell: (c) => c.courses }]}
        />
      </Card>
      <Card title={t("skills.add")}>
        <NamedListCreateForm codeName="slug" codePattern="[a-z0-9][a-z0-9\-]{1,39}" labels={labels} addLabel={t("skills.addButton")} />
      </Card>
    </Page>
  );
}
