import { describe, expect, it } from "vitest";
import { renderMarkdown } from "~/domains/courses/markdown.server";

describe("lesson Markdown is rendered to safe HTML", () => {
  it("renders the usual Markdown", () => {
    const html = renderMarkdown("## 安全\n\n- **面罩**\n- [guide](https://example.org/a)\n\n`G71`");
    expect(html).toContain("<h2>安全</h2>");
    expect(html).toContain("<strong>面罩</strong>");
    expect(html).toContain('<a href="https://example.org/a" rel="noopener noreferrer nofollow" target="_blank">guide</a>');
    expect(html).toContain("<code>G71</code>");
  });

  it.each([
    ["<script>alert(1)</script>"],
    ['<img src=x onerror="alert(1)">'],
    ['<a href="#" onclick="alert(1)">x</a>'],
    ["<iframe src=https://evil.example></iframe>"],
    ['<svg onload="alert(1)"></svg>'],
    ["<style>body{display:none}</style>"],
  ])("escapes raw HTML: %s", (input) => {
    const html = renderMarkdown(input);
    expect(html).not.toMatch(/<(script|img|iframe|svg|style)\b/i);
    // No element carries an event handler (linkify may turn a bare URL into a plain link).
    expect(html).not.toMatch(/<[^>]+\son\w+=/i);
    expect(html).toContain("&lt;");
  });

  it.each([
    ["[x](javascript:alert(1))"],
    ["[x](JAVASCRIPT:alert(1))"],
    ["[x](vbscript:msgbox(1))"],
    ["[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
    ["![x](javascript:alert(1))"],
    ["<javascript:alert(1)>"],
  ])("drops dangerous link targets: %s", (input) => {
    const html = renderMarkdown(input);
    expect(html.toLowerCase()).not.toContain('href="javascript:');
    expect(html.toLowerCase()).not.toContain('href="vbscript:');
    expect(html.toLowerCase()).not.toContain('href="data:');
    expect(html.toLowerCase()).not.toContain('src="javascript:');
  });

  it("keeps relative and mailto links", () => {
    expect(renderMarkdown("[a](/courses/x) [b](mailto:a@b.cn)")).toContain('href="/courses/x"');
    expect(renderMarkdown("[b](mailto:a@b.cn)")).toContain('href="mailto:a@b.cn"');
  });
});

describe("lesson images come only from the course's own uploads", () => {
  it("an external image (a tracking pixel) is not loaded: it becomes a link", () => {
    const html = renderMarkdown("![pixel](https://tracker.example/p.gif?u=1)");
    expect(html).not.toMatch(/<img\b/i);
    expect(html).toContain('<a href="https://tracker.example/p.gif?u=1" rel="noopener noreferrer nofollow" target="_blank">pixel</a>');
  });

  it("an image of this course's uploads is shown; another file id, a protocol-relative or data: URL is not", () => {
    const ids = ["cimg1", "cimg2"];
    expect(renderMarkdown("![weld bead](/media/cimg1)", { imageIds: ids })).toContain('<img src="/media/cimg1" alt="weld bead" loading="lazy">');
    for (const src of ["/media/cother", "//tracker.example/p.gif", "/media/cimg1?x=1", "/media/../cimg1", "data:image/png;base64,AAAA", "javascript:alert(1)"]) {
      const html = renderMarkdown(`![x](${src})`, { imageIds: ids });
      expect(html, src).not.toMatch(/<img\b/i);
      expect(html, src).not.toMatch(/href="(javascript|data):/i);
    }
    // Without the course's ids (e.g. another page), nothing is shown as an image.
    expect(renderMarkdown("![weld bead](/media/cimg1)")).not.toMatch(/<img\b/i);
  });

  it("reference-style and nested images follow the same rule, and alt text is escaped", () => {
    const html = renderMarkdown('![a "quote" <b>](https://x.example/i.png)\n\n![r][1]\n\n[1]: http://x.example/r.png', { imageIds: ["c1"] });
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toContain("<b>");
  });
});
