// A certificate's PDF: only its holder or a platform admin (anyone else: 404).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/domains/auth/session.server";
import { certificateForDownload } from "~/domains/certificates/certificates.server";
import { normalizeCode } from "~/domains/certificates/code";
import { certificatePdf } from "~/domains/certificates/pdf.server";
import { dateOptions } from "~/utils/datetime.server";
import { parseOr400, searchParamsOf } from "~/utils/input.server";
import { certificatePdfQuerySchema } from "~/domains/certificates/validation";
import { fileDownload } from "~/utils/download.server";


export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const code = normalizeCode(params.code ?? "");
  if (!code) throw new Response("Not found", { status: 404 });
  const { lang } = parseOr400(certificatePdfQuerySchema, searchParamsOf(request), "certificatePdfQuerySchema");
  const cert = await certificateForDownload(user, code);
  const dates = await dateOptions(request, user);
  const pdf = await certificatePdf(cert, lang ?? cert.locale, dates.timeZone);
  return fileDownload(new Uint8Array(pdf), `certificate-${cert.code}.pdf`);
}
