// A session's whiteboard as a PDF: one page per board page with something on it, the ops
// drawn as vectors (pdfkit paths) with the geometry the room uses (board.ts), text in the
// CJK font (cjkDocument), so Chinese writing prints on any reader.
import { cjkDocument } from "~/domains/certificates/pdf.server";
import { BOARD_ASPECT, primitives, type BoardOp } from "./board";

const PAGE_W = 842;
const BOARD_H = PAGE_W / BOARD_ASPECT;
const CAPTION_H = 28;

export async function boardPdf(input: { title: string; pages: { page: number; ops: BoardOp[] }[]; caption: (page: number) => string; empty: string }): Promise<Buffer> {
  const { doc, done } = cjkDocument({ size: [PAGE_W, BOARD_H + CAPTION_H], margin: 0, autoFirstPage: false, info: { Title: input.title } });
  const pages = input.pages.length ? input.pages : [{ page: 0, ops: [] }];
  for (const { page, ops } of pages) {
    doc.addPage({ size: [PAGE_W, BOARD_H + CAPTION_H], margin: 0 });
    doc.font("cjk").fontSize(10).fillColor("#475569").text(`${input.title} · ${input.caption(page + 1)}`, 12, 9, { width: PAGE_W - 24, lineBreak: false, ellipsis: true });
    doc.save();
    doc.translate(0, CAPTION_H);
    doc.rect(0, 0, PAGE_W, BOARD_H).lineWidth(0.5).strokeColor("#cbd5e1").stroke();
    doc.rect(0, 0, PAGE_W, BOARD_H).clip();
    if (!ops.length) doc.font("cjk").fontSize(12).fillColor("#64748b").text(input.empty, 24, 24, { lineBreak: false });
    for (const op of ops) {
      for (const p of primitives(op, PAGE_W, BOARD_H)) {
        if (p.type === "text") {
          doc.font("cjk").fontSize(p.size).fillColor(p.color).text(p.text, p.x, p.y, { lineBreak: false });
          continue;
        }
        doc.lineWidth(p.width).strokeColor(p.color).lineCap("round").lineJoin("round");
        if (p.type === "polyline") {
          doc.moveTo(p.points[0]!, p.points[1]!);
          for (let i = 2; i + 1 < p.points.length; i += 2) doc.lineTo(p.points[i]!, p.points[i + 1]!);
          doc.stroke();
        } else if (p.type === "rect") {
          doc.rect(p.x, p.y, p.w, p.h).stroke();
        } else {
          doc.ellipse(p.cx, p.cy, p.rx, p.ry).stroke();
        }
      }
    }
    doc.restore();
  }
  doc.end();
  return done;
}
