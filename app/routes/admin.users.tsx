import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminTabs } from "~/components/admin/ui";
import { Badge, Notice } from "~/components/ui/feedback";
import { Button, ConfirmButton, SelectField, TextField } from "~/components/ui/forms";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { parseForm } from "~/utils/forms.server";
import { Card, DataTable, Page } from "~/components/ui/layout";
import { AdminActionError, changeRole, disableUser, enableUser, searchUsers } from "~/domains/admin/users.server";
import { userActionSchema, userSearchSchema } from "~/domains/admin/validation";
import { ROLES } from "~/domains/auth/roles";
import { requireRole } from "~/domains/auth/session.server";
import { dateOptions } from "~/utils/datetime.server";
import { formatDateTime } from "~/utils/datetime";
import { parseOr400, searchParamsOf } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "Users · Administration · SkillRelay" }];


export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const query = parseOr400(userSearchSchema, searchParamsOf(request), "search");
  const [rows, dates] = await Promise.all([searchUsers({ q: query.q, role: query.role || undefined }), dateOptions(request, admin)]);
  return {
    me: admin.id,
    q: query.q ?? "",
    role: query.role ?? "",
    users: rows.map((u) => ({
      id: u.id,
      name: u.name,
      login: u.email ?? u.phone ?? "",
      role: u.role,
      disabled: u.disabledAt ? formatDateTime(u.disabledAt, dates) : null,
      orgs: u.memberships.map((m) => m.org.name).join("、"),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  // One reply for every row's forms: the role form of the reply's userId shows its refusal on
  // itself; a disable/enable button's refusal is the page's notice.
  const submission = await parseForm(request, userActionSchema, { fallback: "users.errors.bad" });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const input = submission.value;
  try {
    if (input.intent === "role") await changeRole(admin, input.userId, input.role);
    else if (input.intent === "disable") await disableUser(admin, input.userId, input.reason?.trim() || null);
    else await enableUser(admin, input.userId);
  } catch (err) {
    if (err instanceof AdminActionError) {
      const status = err.code === "not_found" ? 404 : err.code === "self" ? 403 : 409;
      return data(submission.reply({ formErrors: [`users.errors.${err.code}`] }), { status });
    }
    throw err;
  }
  return { ...submission.reply({ resetForm: true }), ok: true };
}

type Row = Awaited<ReturnType<typeof loader>>["users"][number];

export default function AdminUsers() {
  const { t } = useTranslation("admin");
  const { me, q, role, users } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result && "initialValue" in result ? (result.initialValue as Record<string, unknown> | null) : null;
  const buttonRefusal = values && values.intent !== "role" && result && "error" in result ? Object.values(result.error ?? {}).flat() : [];
  const columns = [
    {
      key: "name",
      header: t("users.name"),
      cell: (u: Row) => (
        <div>
          <p className="font-medium">{u.name}</p>
          <p className="break-all text-xs text-slate-500">{u.login}</p>
        </div>
      ),
    },
    { key: "orgs", header: t("users.orgs"), cell: (u: Row) => u.orgs || "—" },
    {
      key: "role",
      header: t("users.role"),
      cell: (u: Row) =>
        u.id === me ? (
          <Badge tone="info">{t(`roles.${u.role}`)}</Badge>
        ) : (
          <RoleForm userId={u.id} role={u.role} />
        ),
    },
    {
      key: "state",
      header: t("users.state"),
      cell: (u: Row) => (
        <div className="flex flex-wrap items-center gap-2">
          {u.disabled ? <Badge tone="error">{t("users.disabledAt", { date: u.disabled })}</Badge> : <Badge tone="success">{t("users.active")}</Badge>}
          {u.id === me ? null : (
            <Form method="post">
              <input type="hidden" name="userId" value={u.id} />
              {u.disabled ? (
                <Button type="submit" name="intent" value="enable" variant="secondary">{t("users.enable")}</Button>
              ) : (
                <ConfirmButton label={t("users.disable")} question={t("users.disableConfirm", { name: u.name })} confirmLabel={t("users.disableYes")} value="disable" small />
              )}
            </Form>
          )}
        </div>
      ),
    },
  ];
  return (
    <Page title={t("users.title")} lead={t("users.lead")}>
      <AdminTabs />
      {buttonRefusal.length ? <Notice tone="error">{buttonRefusal.map((e) => t(String(e))).join(" ")}</Notice> : result && "ok" in result ? <Notice tone="success">{t("users.saved")}</Notice> : null}
      <Card>
        <Form method="get" className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="flex-1">
            <TextField label={t("users.search")} name="q" type="search" defaultValue={q} />
          </div>
          <SelectField label={t("users.role")} name="role" defaultValue={role}>
            <option value="">{t("users.anyRole")}</option>
            {ROLES.map((r) => <option key={r} value={r}>{t(`roles.${r}`)}</option>)}
          </SelectField>
          <Button type="submit">{t("users.find")}</Button>
        </Form>
      </Card>
      <Card>
        <DataTable columns={columns} rows={users} rowKey={(u) => u.id} caption={t("users.title")} empty={t("users.none")} />
      </Card>
    </Page>
  );
}

/** A user's role, as one row's form; it takes the reply that carries its userId (a success resets all). */
function RoleForm({ userId, role }: { userId: string; role: string }) {
  const { t } = useTranslation("admin");
  const result = useActionData<typeof action>();
  const values = result && "initialValue" in result ? (result.initialValue as Record<string, unknown> | null) : undefined;
  const mine = values === null || (values?.intent === "role" && values.userId === userId);
  const [form, fields] = useConformForm<{ role: string }>({ id: `role-${userId}`, lastResult: mine ? result : undefined, defaultValue: { role } });
  return (
    <ConformForm form={form} t={t} method="post" className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <div className="w-auto">
        <SelectField label={t("users.role")} labelHidden field={fields.role}>
          {ROLES.map((r) => <option key={r} value={r}>{t(`roles.${r}`)}</option>)}
        </SelectField>
      </div>
      <Button type="submit" name="intent" value="role" variant="secondary">{t("users.save")}</Button>
    </ConformForm>
  );
}
