// Public verification of a certificate (no login): valid or revoked (with the reason), the
// holder's name, what and when. Nothing else about the holder. Limited per client address.
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CertificateStatus } from "~/components/certificates/ui";
import { Notice } from "~/components/ui/feedback";
import { Card, Page } from "~/components/ui/layout";
import { clientIp } from "~/domains/auth/session.server";
import { verifyCertificate } from "~/domains/certificates/certificates.server";
import { groupCode, normalizeCode } from "~/domains/certificates/code";
import { certificateVerifyLimiter } from "~/domains/certificates/limits.server";
import { formatDate } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";

export const meta: MetaFunction = () => [{ title: "Certificate verification · SkillRelay" }, { name: "robots", content: "noindex" }];

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const out = new Headers({ "Cache-Control": "no-store" });
  const retry = loaderHeaders.get("Retry-After");
  if (retry) out.set("Retry-After", retry);
  return out;
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const limit = await certificateVerifyLimiter.consume(clientIp(request));
  if (!limit.ok) {
    return data({ state: "throttled" as const, cert: null }, { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } });
  }
  const code = normalizeCode(params.code ?? "");
  const cert = code ? await verifyCertificate(code) : null;
  if (!cert) return data({ state: "missing" as const, cert: null }, { status: 404 });
  const dates = await dateOptions(request);
  return {
    state: cert.revokedAt ? ("revoked" as const) : ("valid" as const),
    cert: {
      code: groupCode(cert.code),
      holderName: cert.holderName,
      kind: cert.kind,
      title: dates.locale === "en" ? cert.titleEn : cert.titleZh,
      achievement: cert.achievement,
      issued: formatDate(cert.issuedAt, dates),
      issuerName: cert.issuerName,
      orgName: cert.orgName,
      revoked: cert.revokedAt ? formatDate(cert.revokedAt, dates) : null,
      reason: cert.revokedReason,
    },
  };
}

export default function VerifyCertificate() {
  const { t } = useTranslation("assessment");
  const { state, cert } = useLoaderData<typeof loader>();
  const another = (
    <Link to="/verify" className="text-sm font-semibold text-brand-700 underline">
      {t("certificates.verify.another")}
    </Link>
  );
  if (state === "throttled") {
    return (
      <Page title={t("certificates.verify.title")} actions={another}>
        <Notice tone="warning">{t("certificates.verify.tooMany")}</Notice>
      </Page>
    );
  }
  if (!cert) {
    return (
      <Page title={t("certificates.verify.notFoundTitle")} actions={another}>
        <Notice tone="error">{t("certificates.verify.notFound")}</Notice>
      </Page>
    );
  }
  const rows: Array<[string, string]> = [
    [t("certificates.verify.holder"), cert.holderName],
    [t("certificates.what"), `${cert.title} (${cert.kind === "competition" ? t("certificates.kindCompetition") : t("certificates.kindCourse")})`],
    ...(cert.achievement ? [[t("certificates.verify.achievement"), cert.achievement] as [string, string]] : []),
    [t("certificates.verify.issuedOn"), cert.issued],
    ...(cert.issuerName ? [[t("certificates.verify.issuer"), cert.issuerName] as [string, string]] : []),
    [t("certificates.verify.org"), cert.orgName],
    [t("certificates.code"), cert.code],
  ];
  return (
    <Page title={state === "valid" ? t("certificates.verify.validTitle") : t("certificates.verify.revokedTitle")} actions={another}>
      {state === "valid" ? (
        <Notice tone="success">{t("certificates.verify.validLead", { org: cert.orgName })}</Notice>
      ) : (
        <Notice tone="error">
          {t("certificates.verify.revokedLead", { date: cert.revoked })} {t("certificates.verify.reason")}: {cert.reason}
        </Notice>
      )}
      <Card>
        <div className="mb-3">
          <CertificateStatus revoked={state === "revoked"} />
        </div>
        <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]" data-testid="certificate-facts">
          {rows.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-sm font-medium text-slate-600">{k}</dt>
              <dd className="break-words text-slate-900">{v}</dd>
            </div>
          ))}
        </dl>
      </Card>
    </Page>
  );
}
