import MarkdownIt from "markdown-it";

// Raw HTML is never passed through (html: false escapes it), and links may only use
// http(s), mailto or relative URLs: no javascript:, data: or vbscript:.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });

const SAFE_URL = /^(https?:|mailto:|\/|#|\.{0,2}\/)/i;
md.validateLink = (url: string) => {
  const trimmed = url.trim();
  if (!/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return true; // relative
  return SAFE_URL.test(trimmed);
};

const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const href = String(tokens[idx].attrGet("href") ?? "");
  if (/^https?:/i.test(href)) {
    tokens[idx].attrSet("rel", "noopener noreferrer nofollow");
    tokens[idx].attrSet("target", "_blank");
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string) {
  return md.render(source);
}
