// Public: type a certificate code; a well-formed one goes on to /verify/<code>.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Notice } from "~/components/ui/feedback";
import { Button, TextField } from "~/components/ui/forms";
import { Card, Page } from "~/components/ui/layout";
import { normalizeCode } from "~/domains/certificates/code";

export const meta: MetaFunction = () => [{ title: "Verify a certificate · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const typed = new URL(request.url).searchParams.get("code");
  if (typed === null) return { typed: "", error: null };
  const code = normalizeCode(typed);
  if (code) throw redirect(`/verify/${code}`);
  return data({ typed: typed.slice(0, 40), error: "certificates.verify.invalidCode" }, { status: 400 });
}

export default function VerifyForm() {
  const { t } = useTranslation("assessment");
  const { typed, error } = useLoaderData<typeof loader>();
  return (
    <Page title={t("certificates.verify.title")} lead={t("certificates.verify.lead")}>
      <Card>
        <Form method="get" className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="flex-1">
            <TextField
              label={t("certificates.verify.codeLabel")}
              name="code"
              defaultValue={typed}
              maxLength={40}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              placeholder="ABCD-EFGH-JKMN-PQRS"
              required
              error={error ? t(error) : undefined}
            />
          </div>
          <Button type="submit">{t("certificates.verify.check")}</Button>
        </Form>
      </Card>
      {error ? <Notice tone="error">{t(error)}</Notice> : null}
    </Page>
  );
}
