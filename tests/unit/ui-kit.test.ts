// The kit's pieces render accessible, JavaScript-free HTML (rendered with React's server renderer).
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Notice, Badge, ProgressBar } from "~/components/ui/feedback";
import { ConfirmButton } from "~/components/ui/forms";
import { Icon } from "~/components/ui/icon";

describe("UI kit", () => {
  it("ConfirmButton asks before submitting, without JavaScript (details/summary, then the real submit)", () => {
    const html = renderToStaticMarkup(createElement(ConfirmButton, { label: "Delete", question: "Delete the module and its 3 lessons?", confirmLabel: "Yes, delete", value: "deleteModule" }));
    expect(html).toMatch(/^<details[^>]*><summary[^>]*>Delete<\/summary>/);
    expect(html).toContain("Delete the module and its 3 lessons?");
    expect(html).toMatch(/<button type="submit" name="intent" value="deleteModule"[^>]*>Yes, delete<\/button>/);
    // The summary itself is no submit button: a click (or Enter) only opens the question.
    expect(html.split("<button").length).toBe(2);
  });

  it("Notice announces errors at once and the rest politely", () => {
    expect(renderToStaticMarkup(createElement(Notice, { tone: "error", children: "x" }))).toContain('role="alert"');
    expect(renderToStaticMarkup(createElement(Notice, { tone: "success", children: "x" }))).toContain('role="status"');
  });

  it("Icon is inline SVG: decorative by default, an image with a name when labelled", () => {
    expect(renderToStaticMarkup(createElement(Icon, { name: "hand" }))).toMatch(/^<svg[^>]*aria-hidden="true"/);
    const labelled = renderToStaticMarkup(createElement(Icon, { name: "hand", label: "Hand raised" }));
    expect(labelled).toMatch(/role="img"/);
    expect(labelled).toContain("<title>Hand raised</title>");
  });

  it("ProgressBar clamps and rounds; Badge carries data attributes", () => {
    expect(renderToStaticMarkup(createElement(ProgressBar, { percent: 140.2, label: "p" }))).toContain('aria-valuenow="100"');
    expect(renderToStaticMarkup(createElement(Badge, { tone: "error", data: { status: "overdue" }, children: "Overdue" }))).toContain('data-status="overdue"');
  });
});
