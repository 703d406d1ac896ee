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
import { asFormErrors, parseForm } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Skill categories · Administration · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const rows = await listSkillCategories();
  return { categories: rows.map((c) => ({ id: c.id, code: c.slug, nameZh: c.nameZh, nameEn: c.nameEn, sortOrder: c.sortOrder, courses: c._count.courses })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const submission = await parseForm(request, skillActionSchema, { fallback: "skills.errors.bad" });
  // A row's fields sit in the table's cells: its errors show at the row's form.
  if (submission.status !== "success") return data(submission.payload.intent === "update" ? asFormErrors(submission.reply()) : submission.reply(), { status: 400 });
  const input = submission.value;
  try {
    if (input.intent === "update") await updateSkillCategory(admin, input.id, { nameZh: input.nameZh, nameEn: input.nameEn, sortOrder: input.sortOrder });
    else await createSkillCategory(admin, { slug: input.slug, nameZh: input.nameZh, nameEn: input.nameEn, sortOrder: input.sortOrder });
  } catch (err) {
    if (err instanceof SkillError) {
      const key = `skills.errors.${err.code}`;
      return data(submission.reply(input.intent === "create" && err.code === "exists" ? { fieldErrors: { slug: [key] } } : { formErrors: [key] }), { status: err.code === "not_found" ? 404 : 409 });
    }
    throw err;
  }
  return { ...submission.reply({ resetForm: true }), ok: input.intent === "update" ? "skills.saved" : "skills.added" };
}

export default function AdminSkills() {
  const { t } = useTranslation("admin");
  const { categories } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const labels = { title: t("skills.title"), code: t("skills.code"), nameZh: t("skills.nameZh"), nameEn: t("skills.nameEn"), order: t("skills.order"), save: t("skills.save"), none: t("skills.none") };
  return (
    <Page title={t("skills.title")} lead={t("skills.lead")}>
      <AdminTabs />
      {result && "ok" in result ? <Notice tone="success">{t(result.ok)}</Notice> : null}
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
