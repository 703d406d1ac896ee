// The printable marking form of a marking scheme (A4 portrait), for one submission or blank
// for printing before a competition. Sections → criteria → aspects; measurement aspects show
// their rule (all-or-nothing, tolerance bands, deduction per fault) and boxes for the measured
// value or faults and the mark; judgement aspects show the four descriptors with tick boxes
// 0–3. An aspect is never split across pages; every page carries the form's identity (the
// submission code under blind marking, never the learner's name) and "page x of y".
// The CJK font is found exactly as for certificates, so Chinese prints on any reader.
import { cjkDocument } from "~/domains/certificates/pdf.server";
import { translator } from "~/domains/notifications/translate.server";
import { formatDate, type DateOptions } from "~/utils/datetime";
import type { MarkingFormData } from "./marking.server";
import { criterionMarks, round2, schemeMarks, sectionMarks, type AspectInput } from "./scheme";

const PAGE = { w: 595.28, h: 841.89 };
const M = 40; // page margin
const CW = PAGE.w - 2 * M; // content width
const BOTTOM = PAGE.h - 56; // body ends here; the footer sits below
const PAD = 6;
const TEAL = "#0f766e";
const INK = "#0f172a";
const GREY = "#475569";
const LINE = "#94a3b8";

type Doc = PDFKit.PDFDocument;
type T = ReturnType<typeof translator>;

const num = (n: number) => String(round2(n));

/** The rule of a measurement aspect in words. */
function measurementRule(a: AspectInput, t: T) {
  const m = a.measurement;
  if (!m || m.mode === "binary") return t("form.ruleBinary", { max: num(a.maxMark) });
  if (m.mode === "deduction") return t("form.ruleDeduction", { perFault: num(m.perFault) });
  const bands = [...m.bands].sort((x, y) => x.upTo - y.upTo).map((b) => t("form.band", { upTo: num(b.upTo), mark: num(a.maxMark * b.fraction) }));
  return t("form.ruleBands", { bands: bands.join(t("form.bandSeparator")) });
}

/**
 * Lays out one aspect's block at y; draws only when `draw` (so the same code measures the
 * block first, to keep it on one page). Returns its height.
 */
function aspectBlock(doc: Doc, t: T, label: string, a: AspectInput, y: number, draw: boolean): number {
  const x = M;
  const innerW = CW - 2 * PAD;
  const metaW = 130;
  let h = PAD;
  doc.font("cjk-bold").fontSize(10.5);
  const title = `${label}  ${a.description}`;
  const titleH = doc.heightOfString(title, { width: innerW - metaW - 8 });
  if (draw) {
    doc.fillColor(INK).text(title, x + PAD, y + h, { width: innerW - metaW - 8 });
    doc.font("cjk").fontSize(9.5).fillColor(GREY).text(`${t(a.kind === "judgement" ? "form.judgement" : "form.measurement")} · ${t("form.max", { max: num(a.maxMark) })}`, x + PAD + innerW - metaW, y + h + 1, { width: metaW, align: "right" });
  }
  h += titleH + 4;

  const markBox = (by: number, label: string) => {
    // "Mark [      ] / max" at the right edge.
    const boxW = 54;
    const boxH = 18;
    const right = x + PAD + innerW;
    const outOf = t("form.outOf", { max: num(a.maxMark) });
    doc.font("cjk").fontSize(10);
    const outW = doc.widthOfString(outOf) + 2;
    const labelW = doc.widthOfString(label) + 6;
    const bx = right - outW - 4 - boxW;
    doc.fillColor(INK).text(label, bx - labelW, by + 4, { width: labelW, lineBreak: false });
    doc.rect(bx, by, boxW, boxH).lineWidth(0.8).stroke(INK);
    doc.fillColor(INK).text(outOf, bx + boxW + 4, by + 4, { width: outW + 2, lineBreak: false });
  };

  if (a.kind === "judgement") {
    const descriptors = a.descriptors ?? [];
    doc.font("cjk").fontSize(9.5);
    if (draw) doc.fillColor(GREY).text(t("form.score"), x + PAD, y + h, { width: innerW });
    h += doc.heightOfString(t("form.score"), { width: innerW }) + 3;
    for (let score = 0; score < 4; score++) {
      const text = descriptors[score] ?? "";
      doc.font("cjk").fontSize(9.5);
      const textW = innerW - 40;
      const rowH = Math.max(14, doc.heightOfString(text, { width: textW })) + 3;
      if (draw) {
        doc.rect(x + PAD, y + h, 11, 11).lineWidth(0.8).stroke(INK);
        doc.font("cjk-bold").fontSize(10).fillColor(INK).text(String(score), x + PAD + 17, y + h, { width: 14, lineBreak: false });
        doc.font("cjk").fontSize(9.5).fillColor(INK).text(text, x + PAD + 36, y + h, { width: textW });
      }
      h += rowH;
    }
    doc.font("cjk").fontSize(8.5);
    const rule = t("form.judgementRule", { max: num(a.maxMark) });
    if (draw) doc.fillColor(GREY).text(rule, x + PAD, y + h, { width: innerW });
    h += doc.heightOfString(rule, { width: innerW }) + PAD;
  } else {
    const rule = measurementRule(a, t);
    doc.font("cjk").fontSize(9.5);
    const ruleH = doc.heightOfString(rule, { width: innerW });
    if (draw) doc.fillColor(GREY).text(rule, x + PAD, y + h, { width: innerW });
    h += ruleH + 4;
    if (draw) {
      const mode = a.measurement?.mode ?? "binary";
      doc.font("cjk").fontSize(10).fillColor(INK);
      if (mode === "binary") {
        let bx = x + PAD;
        for (const key of ["form.awarded", "form.notAwarded"]) {
          doc.rect(bx, y + h + 3, 11, 11).lineWidth(0.8).stroke(INK);
          const w = doc.widthOfString(t(key)) + 4;
          doc.fillColor(INK).text(t(key), bx + 16, y + h + 3, { width: w, lineBreak: false });
          bx += 16 + w + 18;
        }
      } else {
        const label = t(mode === "bands" ? "form.measured" : "form.faults");
        const w = doc.widthOfString(label) + 6;
        doc.fillColor(INK).text(label, x + PAD, y + h + 4, { width: w, lineBreak: false });
        doc.rect(x + PAD + w, y + h, 90, 18).lineWidth(0.8).stroke(INK);
      }
      markBox(y + h, t("form.mark"));
    }
    h += 18 + PAD;
  }
  if (draw) doc.rect(x, y, CW, h).lineWidth(0.5).stroke(LINE);
  return h;
}

/**
 * An aspect taller than a whole page (very long descriptors) cannot stay on one page: it is
 * written in pdfkit's flowing mode, which continues on new pages by itself, without the frame.
 * Returns the y below it (on whatever page it ended).
 */
function aspectFlow(doc: Doc, t: T, label: string, a: AspectInput, y: number): number {
  const w = CW - 2 * PAD;
  const x = M + PAD;
  doc.font("cjk-bold").fontSize(10.5).fillColor(INK).text(`${label}  ${a.description}`, x, y + PAD, { width: w });
  doc.font("cjk").fontSize(9.5).fillColor(GREY).text(`${t(a.kind === "judgement" ? "form.judgement" : "form.measurement")} · ${t("form.max", { max: num(a.maxMark) })}`, x, doc.y + 2, { width: w });
  if (a.kind === "judgement") {
    doc.text(t("form.score"), x, doc.y + 3, { width: w });
    (a.descriptors ?? []).forEach((text, score) => {
      const top = doc.y + 3;
      doc.rect(x, top, 11, 11).lineWidth(0.8).stroke(INK);
      doc.font("cjk-bold").fontSize(10).fillColor(INK).text(String(score), x + 17, top, { width: 14, lineBreak: false });
      doc.font("cjk").fontSize(9.5).fillColor(INK).text(text, x + 36, top, { width: w - 36 });
    });
    doc.font("cjk").fontSize(8.5).fillColor(GREY).text(t("form.judgementRule", { max: num(a.maxMark) }), x, doc.y + 3, { width: w });
  } else {
    doc.text(measurementRule(a, t), x, doc.y + 3, { width: w });
    const entry = a.measurement?.mode === "binary" ? `${t("form.awarded")} ___   ${t("form.notAwarded")} ___` : `${t(a.measurement?.mode === "bands" ? "form.measured" : "form.faults")} ________`;
    doc.font("cjk").fontSize(10).fillColor(INK).text(`${entry}      ${t("form.mark")} ______ ${t("form.outOf", { max: num(a.maxMark) })}`, x, doc.y + 4, { width: w });
  }
  return doc.y + PAD + 4;
}

function criterionHeading(doc: Doc, code: string, name: string, marks: number, t: T, y: number, draw: boolean) {
  doc.font("cjk-bold").fontSize(11);
  const text = `${code}  ${name}`;
  const h = doc.heightOfString(text, { width: CW - 120 }) + 4;
  if (draw) {
    doc.fillColor(TEAL).text(text, M, y, { width: CW - 120 });
    doc.font("cjk").fontSize(9.5).fillColor(GREY).text(t("form.criterionMarks", { marks: num(marks) }), M + CW - 120, y + 1, { width: 120, align: "right" });
  }
  return h;
}

function sectionHeading(doc: Doc, text: string, meta: string, y: number, draw: boolean) {
  doc.font("cjk-bold").fontSize(12);
  const h = Math.max(22, doc.heightOfString(text, { width: CW - 170 }) + 8);
  if (draw) {
    doc.rect(M, y, CW, h).fill(TEAL);
    doc.fillColor("#ffffff").text(text, M + PAD, y + 5, { width: CW - 170 });
    doc.font("cjk").fontSize(10).text(meta, M + CW - 160 - PAD, y + 6, { width: 160, align: "right" });
  }
  return h + 6;
}

/** "Label [        ] / max" right-aligned: the subtotal and total lines. */
function totalLine(doc: Doc, label: string, outOf: string, y: number, bold: boolean) {
  const boxW = 64;
  const boxH = bold ? 24 : 20;
  doc.font(bold ? "cjk-bold" : "cjk").fontSize(bold ? 12 : 10.5);
  const outW = doc.widthOfString(outOf) + 4;
  const right = M + CW;
  const bx = right - outW - 6 - boxW;
  doc.fillColor(INK).text(label, M, y + (bold ? 6 : 4), { width: bx - M - 8, align: "right", lineBreak: false });
  doc.rect(bx, y, boxW, boxH).lineWidth(bold ? 1.2 : 0.8).stroke(INK);
  doc.fillColor(INK).text(outOf, bx + boxW + 6, y + (bold ? 6 : 4), { width: outW + 2, lineBreak: false });
  return boxH + 8;
}

/** A labelled line to write on: "Marker ______". */
function writeLine(doc: Doc, label: string, x: number, y: number, w: number, value = "") {
  doc.font("cjk").fontSize(10).fillColor(GREY);
  const lw = doc.widthOfString(label) + 6;
  doc.text(label, x, y, { width: lw, lineBreak: false });
  doc.moveTo(x + lw, y + 13).lineTo(x + w, y + 13).lineWidth(0.6).stroke(LINE);
  if (value) doc.font("cjk-bold").fontSize(10.5).fillColor(INK).text(value, x + lw + 2, y - 1, { width: w - lw - 4, lineBreak: false, ellipsis: true });
}

export async function markingFormPdf(form: MarkingFormData, dates: DateOptions, now = new Date()): Promise<Buffer> {
  const lang = dates.locale === "en" ? "en" : "zh-CN";
  const t = translator(lang, "assessment");
  const blank = form.code === null;
  const who = blank ? "" : form.learner ?? form.code ?? "";
  const docTitle = `${t(blank ? "form.blankTitle" : "form.title")} · ${form.lesson}${blank ? "" : ` · ${form.code}`}`;
  const { doc, done } = cjkDocument({ size: "A4", margin: M, bufferPages: true, info: { Title: docTitle, Subject: form.course } });

  // ── header ──
  let y = M;
  doc.font("cjk-bold").fontSize(18).fillColor(TEAL).text(t(blank ? "form.blankTitle" : "form.title"), M, y, { width: CW });
  y = doc.y + 6;
  const half = CW / 2 - 10;
  writeLine(doc, `${t("form.course")}:`, M, y, half, form.course);
  writeLine(doc, `${t("form.task")}:`, M + half + 20, y, half, form.lesson);
  y += 24;
  if (form.blind) writeLine(doc, `${t("form.code")}:`, M, y, half, form.code ?? "");
  else writeLine(doc, `${t("form.learner")}:`, M, y, half, form.learner ?? "");
  if (!form.blind && form.code) writeLine(doc, `${t("form.code")}:`, M + half + 20, y, half, form.code);
  y += 24;
  const third = CW / 3 - 10;
  writeLine(doc, `${t("form.marker")}:`, M, y, third);
  writeLine(doc, `${t("form.signature")}:`, M + third + 15, y, third);
  writeLine(doc, `${t("form.date")}:`, M + 2 * (third + 15), y, third);
  y += 24;
  const total = form.scheme.total;
  doc.font("cjk").fontSize(9.5).fillColor(GREY);
  const notes = [t("form.totalMarks", { total: num(total) }), t("form.printed", { date: formatDate(now, dates) })];
  if (form.blind) notes.push(t("form.blindNote"));
  doc.text(notes.join("  ·  "), M, y, { width: CW });
  y = doc.y + 10;

  // ── body ──
  const newPage = () => {
    doc.addPage();
    return M + 18; // below the running header drawn at the end
  };
  const CAP = BOTTOM - (M + 18); // the body height of a page
  /** What a heading must keep with it of its first aspect: all of it, or the first lines of one taller than a page. */
  const keepOf = (h: number) => (h > CAP ? 80 : h);
  /** Start a new page unless `h` still fits. */
  const fit = (h: number) => {
    if (y + h > BOTTOM && y > M + 18) y = newPage();
  };

  form.scheme.sections.forEach((section, si) => {
    const sectionText = t("form.section", { n: si + 1, name: section.name });
    const sectionMeta = t("form.sectionMeta", { weighting: num(section.weighting), marks: num(sectionMarks(section)) });
    const firstCriterion = section.criteria[0];
    const firstAspect = firstCriterion?.aspects[0];
    // A section heading stays with its first criterion heading and first aspect.
    let keep = sectionHeading(doc, sectionText, sectionMeta, y, false);
    if (firstCriterion) keep += criterionHeading(doc, firstCriterion.code, firstCriterion.name, criterionMarks(firstCriterion), t, y, false);
    if (firstAspect) keep += keepOf(aspectBlock(doc, t, `${firstCriterion.code}1`, firstAspect, y, false));
    fit(keep);
    y += sectionHeading(doc, sectionText, sectionMeta, y, true);
    for (const criterion of section.criteria) {
      const headH = criterionHeading(doc, criterion.code, criterion.name, criterionMarks(criterion), t, y, false);
      const first = criterion.aspects[0];
      fit(headH + (first ? keepOf(aspectBlock(doc, t, `${criterion.code}1`, first, y, false)) : 0));
      y += criterionHeading(doc, criterion.code, criterion.name, criterionMarks(criterion), t, y, true);
      criterion.aspects.forEach((aspect, ai) => {
        const label = `${criterion.code}${ai + 1}`;
        const h = aspectBlock(doc, t, label, aspect, y, false);
        if (h > CAP) y = aspectFlow(doc, t, label, aspect, y);
        else {
          fit(h);
          y += aspectBlock(doc, t, label, aspect, y, true) + 4;
        }
      });
      y += 4;
    }
    fit(30);
    y += totalLine(doc, t("form.subtotal", { n: si + 1, name: section.name }), t("form.outOf", { max: num(sectionMarks(section)) }), y, false) + 8;
  });

  fit(40);
  y += totalLine(doc, t("form.total"), t("form.outOf", { max: num(total) }), y, true);
  if (Math.abs(schemeMarks(form.scheme) - total) > 1e-9) {
    // An unfinished scheme still prints (to review it), but says it does not add up.
    doc.font("cjk").fontSize(9).fillColor("#b91c1c").text(t("form.doesNotAddUp", { marks: num(schemeMarks(form.scheme)), total: num(total) }), M, y, { width: CW });
  }

  // ── running header (pages 2+) and footer on every page ──
  const range = doc.bufferedPageRange();
  const ident = [form.course, form.lesson, who].filter(Boolean).join(" · ");
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0;
    if (i > range.start) {
      doc.font("cjk").fontSize(8.5).fillColor(GREY).text(`${t(blank ? "form.blankTitle" : "form.title")} · ${ident}`, M, M - 14, { width: CW, lineBreak: false, ellipsis: true });
    }
    doc.moveTo(M, PAGE.h - 44).lineTo(M + CW, PAGE.h - 44).lineWidth(0.5).stroke(LINE);
    doc.font("cjk").fontSize(8.5).fillColor(GREY);
    doc.text(blank ? form.lesson : `${form.code} · ${form.lesson}`, M, PAGE.h - 38, { width: CW / 2, lineBreak: false, ellipsis: true });
    doc.text(t("form.page", { page: i - range.start + 1, pages: range.count }), M + CW / 2, PAGE.h - 38, { width: CW / 2, align: "right", lineBreak: false });
  }
  doc.end();
  return done;
}
