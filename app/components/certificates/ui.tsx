import { useTranslation } from "react-i18next";
import { Badge } from "~/components/ui/feedback";

export function CertificateStatus({ revoked }: { revoked: boolean }) {
  const { t } = useTranslation("assessment");
  return revoked ? <Badge tone="error">{t("certificates.revoked")}</Badge> : <Badge tone="success">{t("certificates.valid")}</Badge>;
}
