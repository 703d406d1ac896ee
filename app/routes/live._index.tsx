import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Button, TextField } from "~/components/ui/forms";
import { requireUser } from "~/domains/auth/session.server";

export const meta: MetaFunction = () => [{ title: "Live rooms · SkillRelay" }];

const schema = z.object({ room: z.string().trim().toLowerCase().regex(/^[a-z0-9-]{1,64}$/) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  const form = Object.fromEntries(await request.formData());
  const parsed = schema.safeParse(form);
  if (!parsed.success) return data({ error: "liveLobby.invalid", room: String(form.room ?? "") }, { status: 400 });
  throw redirect(`/live/${parsed.data.room}`);
}

export default function LiveLobby() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-lg px-4 py-12">
      <h1 className="text-2xl font-bold">{t("liveLobby.title")}</h1>
      <p className="mt-2 text-slate-600">{t("liveLobby.lead")}</p>
      <Form method="post" className="mt-6 space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <TextField
          label={t("liveLobby.roomLabel")}
          name="room"
          required
          pattern="[A-Za-z0-9-]{1,64}"
          hint={t("liveLobby.roomHint")}
          defaultValue={actionData?.room ?? "welding-101"}
          error={actionData?.error ? t(actionData.error) : undefined}
        />
        <Button type="submit">{t("liveLobby.open")}</Button>
      </Form>
    </div>
  );
}
