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

// Images: only files uploaded for this course (`/media/<assetId>` with an id in
// `imageIds`) are shown. Any other image source (an external tracking pixel, another
// course's file) is rendered as a plain link the reader may choose to follow.
const MEDIA_SRC = /^\/media\/([A-Za-z0-9_-]{1,40})$/;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = String(token.attrGet("src") ?? "");
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  const id = MEDIA_SRC.exec(src)?.[1];
  if (id && (env as RenderEnv | undefined)?.imageIds?.has(id)) {
    token.attrSet("alt", alt);
    token.attrSet("loading", "lazy");
    return self.renderToken(tokens, idx, options);
  }
  const label = md.utils.escapeHtml(alt || src);
  if (!src || !md.validateLink(src)) return label;
  return `<a href="${md.utils.escapeHtml(src)}" rel="noopener noreferrer nofollow" target="_blank">${label}</a>`;
};

type RenderEnv = { imageIds?: Set<string>; [key: string]: unknown };

/** `imageIds`: the course's lesson images (see lessonImageIds); other images become links. */
export function renderMarkdown(source: string, opts: { imageIds?: Iterable<string> } = {}) {
  const env: RenderEnv = { imageIds: new Set(opts.imageIds ?? []) };
  return md.render(source, env);
}

/** Markdown that shows an uploaded lesson image. */
export function imageMarkdown(assetId: string, name: string) {
  const alt = name.replace(/\.[a-z0-9]{1,8}$/i, "").replace(/[[\]\\]/g, "").slice(0, 80);
  return `![${alt}](/media/${assetId})`;
}
