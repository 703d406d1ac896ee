// The certificate as a PDF: A4 landscape, in Chinese or English, with a CJK font embedded
// (subset by pdfkit) so Chinese names print on any reader, and a QR code of the
// verification URL.
//
// Font lookup (first that exists wins):
//   1. CERTIFICATE_FONT: a .ttf/.otf, or a .ttc with CERTIFICATE_FONT_NAME (PostScript name
//      of the face inside the collection, e.g. NotoSansCJKsc-Regular);
//   2. Debian fonts-noto-cjk (scripts/setup-system.sh): /usr/share/fonts/opentype/noto/
//      NotoSansCJK-Regular.ttc, face NotoSansCJKsc-Regular (and -Bold for the title);
//   3. other common locations of Noto Sans CJK SC (.otf) and Source Han Sans.
// Without any of them the PDF is refused (an error), never printed with empty boxes.
import fs from "node:fs";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { translator } from "~/domains/notifications/translate.server";
import { publicUrl } from "~/domains/notifications/notify.server";
import { formatDate } from "~/utils/datetime";
import { groupCode } from "./code";

interface FontFile {
  path: string;
  /** Face inside a .ttc collection. */
  face?: string;
}

const REGULAR_CANDIDATES: FontFile[] = [
  { path: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", face: "NotoSansCJKsc-Regular" },
  { path: "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf" },
  { path: "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", face: "NotoSansCJKsc-Regular" },
  { path: "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", face: "NotoSansCJKsc-Regular" },
  { path: "/usr/share/fonts/opentype/source-han-sans/SourceHanSansSC-Regular.otf" },
];
const BOLD_CANDIDATES: FontFile[] = [
  { path: "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", face: "NotoSansCJKsc-Bold" },
  { path: "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Bold.otf" },
  { path: "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc", face: "NotoSansCJKsc-Bold" },
];

export function findCjkFonts(): { regular: FontFile; bold: FontFile } {
  const configured = process.env.CERTIFICATE_FONT;
  if (configured) {
    if (!fs.existsSync(configured)) throw new Error(`CERTIFICATE_FONT ${configured} does not exist`);
    const f = { path: configured, face: process.env.CERTIFICATE_FONT_NAME || undefined };
    return { regular: f, bold: f };
  }
  const regular = REGULAR_CANDIDATES.find((f) => fs.existsSync(f.path));
  if (!regular) throw new Error("No CJK font for certificates: install fonts-noto-cjk (scripts/setup-system.sh) or set CERTIFICATE_FONT");
  const bold = BOLD_CANDIDATES.find((f) => fs.existsSync(f.path)) ?? regular;
  return { regular, bold };
}

/**
 * A PDFKit document with the CJK fonts registered as "cjk" and "cjk-bold", its bytes
 * collected: `done` resolves with the file once `doc.end()` has been called.
 */
export function cjkDocument(options: PDFKit.PDFDocumentOptions) {
  const fonts = findCjkFonts();
  const doc = new PDFDocument(options);
  doc.registerFont("cjk", fonts.regular.path, fonts.regular.face);
  doc.registerFont("cjk-bold", fonts.bold.path, fonts.bold.face);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  return { doc, done };
}

export interface CertificatePdfInput {
  code: string;
  holderName: string;
  kind: "course" | "competition";
  titleZh: string;
  titleEn: string;
  achievement: string;
  issuedAt: Date;
  issuerName: string;
  orgName: string;
}

export function verificationUrl(code: string) {
  return `${publicUrl()}/verify/${code}`;
}

export async function certificatePdf(cert: CertificatePdfInput, locale: string, timeZone: string): Promise<Buffer> {
  const lang = locale === "en" ? "en" : "zh-CN";
  const t = translator(lang, "assessment");
  const url = verificationUrl(cert.code);
  const qr = await QRCode.toBuffer(url, { type: "png", errorCorrectionLevel: "M", margin: 1, width: 240 });
  const title = lang === "en" ? cert.titleEn : cert.titleZh;

  const { doc, done } = cjkDocument({ size: "A4", layout: "landscape", margin: 0, info: { Title: `${t("certificates.pdf.heading")} ${groupCode(cert.code)}`, Author: cert.orgName } });

  const W = doc.page.width; // 841.89
  const H = doc.page.height; // 595.28
  const inner = { x: 60, w: W - 120 };
  doc.rect(24, 24, W - 48, H - 48).lineWidth(3).stroke("#0f766e");
  doc.rect(34, 34, W - 68, H - 68).lineWidth(0.75).stroke("#0f766e");

  doc.fillColor("#0f172a").font("cjk").fontSize(14).text(cert.orgName, inner.x, 64, { width: inner.w, align: "center" });
  doc.font("cjk-bold").fontSize(34).fillColor("#0f766e").text(t(cert.kind === "competition" ? "certificates.pdf.headingCompetition" : "certificates.pdf.heading"), inner.x, 92, { width: inner.w, align: "center" });
  doc.font("cjk").fontSize(14).fillColor("#334155").text(t("certificates.pdf.certifies"), inner.x, 160, { width: inner.w, align: "center" });
  doc.font("cjk-bold").fontSize(30).fillColor("#0f172a").text(cert.holderName, inner.x, 190, { width: inner.w, align: "center" });
  doc.font("cjk").fontSize(14).fillColor("#334155").text(t(cert.kind === "competition" ? "certificates.pdf.competed" : "certificates.pdf.completed"), inner.x, 244, { width: inner.w, align: "center" });
  doc.font("cjk-bold").fontSize(22).fillColor("#0f172a").text(title, inner.x + 40, 272, { width: inner.w - 80, align: "center" });
  if (cert.achievement) doc.font("cjk").fontSize(16).fillColor("#0f766e").text(cert.achievement, inner.x, doc.y + 8, { width: inner.w, align: "center" });

  // Footer: date and issuer on the left, QR code and code on the right.
  const footY = H - 170;
  doc.font("cjk").fontSize(12).fillColor("#334155");
  doc.text(`${t("certificates.pdf.issuedOn")}: ${formatDate(cert.issuedAt, { locale: lang, timeZone })}`, 80, footY + 20, { width: 420 });
  if (cert.issuerName) doc.text(`${t("certificates.pdf.issuer")}: ${cert.issuerName}`, 80, footY + 44, { width: 420 });
  doc.text(`${t("certificates.pdf.org")}: ${cert.orgName}`, 80, footY + 68, { width: 420 });
  doc.image(qr, W - 80 - 100, footY, { width: 100, height: 100 });
  doc.fontSize(10).text(`${t("certificates.pdf.code")}: ${groupCode(cert.code)}`, W - 80 - 260, footY + 106, { width: 260, align: "right" });
  doc.fontSize(8).fillColor("#64748b").text(`${t("certificates.pdf.verifyAt")} ${url}`, W - 80 - 360, footY + 122, { width: 360, align: "right" });
  doc.end();
  return done;
}
