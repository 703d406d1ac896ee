// /admin/priority-groups: the priority groups a learner can be flagged as (issue 12). Platform
// admins only; rename, reorder, add, retire; audited.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { NamedListCreateForm, NamedListTable } from "~/components/admin/named-list";
import { AdminTabs } from "~/components/admin/ui";
import { Badge, Notice } from "~/components/ui/feedback";
import { Card, Page } from "~/components/ui/layout";
import { createPriorityGroup, listPriorityGroupsWithCounts, PriorityGroupError, updatePriorityGroup } from "~/domains/admin/priority-groups.server";
import { priorityGroupActionSchema } from "~/domains/admin/validation";
import { requireRole } from "~/domains/auth/session.server";
import { asFormErrors, parseForm } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Priority groups · Administration · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const groups = await listPriorityGroupsWithCounts();
  return { groups: groups.map((g) => ({ id: g.key, code: g.key, nameZh: g.nameZh, nameEn: g.nameEn, sortOrder: g.sortOrder, active: g.active, learners: g.learners })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const submission = await parseForm(request, priorityGroupActionSchema, { fallback: "priority.errors.bad" });
  // A row's fields sit in the table's cells: its errors show at the row's form.
  if (submission.status !== "success") return data(submission.payload.intent === "update" ? asFormErrors(submission.reply()) : submission.reply(), { status: 400 });
  const input = submission.value;
  try {
    if (input.intent === "update") await updatePriorityGroup(admin, input.id, { nameZh: input.nameZh, nameEn: input.nameEn, sortOrder: input.sortOrder, active: input.active });
    else await createPriorityGroup(admin, { key: input.key, nameZh: input.nameZh, nameEn: input.nameEn, sortOrder: input.sortOrder });
  } catch (err) {
    if (err instanceof PriorityGroupError) {
      const key = `priority.errors.${err.code}`;
      return data(submission.reply(input.intent === "create" && err.code === "exists" ? { fieldErrors: { key: [key] } } : { formErrors: [key] }), { status: err.code === "not_found" ? 404 : 409 });
    }
    throw err;
  }
  return { ...submission.reply({ resetForm: true }), ok: input.intent === "update" ? "priority.saved" : "priority.added" };
}

export default function AdminPriorityGroups() {
  const { t } = useTranslation("admin");
  const { groups } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const labels = { title: t("priority.title"), code: t("priority.code"), nameZh: t("skills.nameZh"), nameEn: t("skills.nameEn"), order: t("skills.order"), save: t("skills.save"), none: t("priority.none") };
  return (
    <Page title={t("priority.title")} lead={t("priority.lead")}>
      <AdminTabs />
      {result && "ok" in result ? <Notice tone="success">{t(result.ok)}</Notice> : null}
      <Card title={t("priority.title")}>
        <NamedListTable
          rows={groups}
          prefix="group"
          labels={labels}
          testId="priority-list"
          extraColumns={[
            {
              key: "active",
              header: t("priority.active"),
              cell: (g, formId) => (
                <label className="inline-flex items-center gap-2 text-sm">
                  <input type="checkbox" name="active" form={formId} defaultChecked={g.active} className="h-4 w-4" aria-label={`${t("priority.active")} ${g.code}`} />
                  {g.active ? null : <Badge tone="neutral">{t("priority.retired")}</Badge>}
                </label>
              ),
            },
            { key: "learners", header: t("priority.learners"), cell: (g) => g.learners },
          ]}
        />
        <p className="mt-2 text-sm text-slate-600">{t("priority.retireHint")}</p>
      </Card>
      <Card title={t("priority.add")}>
        <NamedListCreateForm codeName="key" codePattern="[a-z][a-z0-9_]{1,39}" labels={labels} addLabel={t("skills.addButton")} />
      </Card>
    </Page>
  );
}
