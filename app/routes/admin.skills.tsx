// /admin/skills: the skill categories courses are filed under (decision 021). Platform admins
// only; rename, reorder, add; audited.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminTabs } from "~/components/admin/ui";
import { Notice } from "~/components/ui/feedback";
import { Button, TextField } from "~/components/ui/forms";
import { Card, DataTable, Page } from "~/components/ui/layout";
import { createSkillCategory, listSkillCategories, SkillError, updateSkillCategory } from "~/domains/admin/skills.server";
import { skillActionSchema } from "~/domains/admin/validation";
import { requireRole } from "~/domains/auth/session.server";
import { readForm } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "Skill categories · Administration · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const rows = await listSkillCategories();
  return { categories: rows.map((c) => ({ id: c.id, slug: c.slug, nameZh: c.nameZh, nameEn: c.nameEn, sortOrder: c.sortOrder, courses: c._count.courses })) };
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

const cellInput = "block w-full rounded-md border border-slate-300 px-2 py-1 text-sm";

export default function AdminSkills() {
  const { t } = useTranslation("admin");
  const { categories } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page title={t("skills.title")} lead={t("skills.lead")}>
      <AdminTabs />
      {result?.error ? <Notice tone="error">{t(result.error)}</Notice> : result?.ok ? <Notice tone="success">{t(result.ok)}</Notice> : null}
      <Card title={t("skills.title")}>
        <div data-testid="skill-list">
          <DataTable
            rows={categories}
            rowKey={(c) => c.id}
            empty={t("skills.none")}
            caption={t("skills.title")}
            columns={[
              { key: "slug", header: t("skills.code"), cell: (c) => <span className="font-mono">{c.slug}</span> },
              { key: "nameZh", header: t("skills.nameZh"), cell: (c) => <input aria-label={`${t("skills.nameZh")} ${c.slug}`} form={`skill-${c.id}`} name="nameZh" defaultValue={c.nameZh} required maxLength={60} className={cellInput} /> },
              { key: "nameEn", header: t("skills.nameEn"), cell: (c) => <input aria-label={`${t("skills.nameEn")} ${c.slug}`} form={`skill-${c.id}`} name="nameEn" defaultValue={c.nameEn} required maxLength={80} className={cellInput} /> },
              { key: "order", header: t("skills.order"), cell: (c) => <input aria-label={`${t("skills.order")} ${c.slug}`} form={`skill-${c.id}`} name="sortOrder" type="number" min={0} max={9999} defaultValue={c.sortOrder} className={cellInput + " w-20"} /> },
              { key: "courses", header: t("skills.courses"), cell: (c) => c.courses },
              {
                key: "save",
                header: "",
                cell: (c) => (
                  <Form method="post" id={`skill-${c.id}`}>
                    <input type="hidden" name="intent" value="update" />
                    <input type="hidden" name="id" value={c.id} />
                    <Button type="submit" variant="secondary" className="px-2 py-1 text-sm">{t("skills.save")}</Button>
                  </Form>
                ),
              },
            ]}
          />
        </div>
      </Card>
      <Card title={t("skills.add")}>
        <Form method="post" className="grid gap-3 sm:grid-cols-5 sm:items-end">
          <input type="hidden" name="intent" value="create" />
          <TextField label={t("skills.code")} name="slug" id="new-slug" required pattern="[a-z0-9][a-z0-9\-]{1,39}" maxLength={40} />
          <TextField label={t("skills.nameZh")} name="nameZh" id="new-nameZh" required maxLength={60} />
          <TextField label={t("skills.nameEn")} name="nameEn" id="new-nameEn" required maxLength={80} />
          <TextField label={t("skills.order")} name="sortOrder" id="new-order" type="number" min={0} max={9999} defaultValue="0" />
          <Button type="submit">{t("skills.addButton")}</Button>
        </Form>
      </Card>
    </Page>
  );
}
