// Anonymous public pages (home, catalogue, a course page) served from memory, per language.
// A request that carries the session cookie never reads from or writes to this cache, and
// only a 200 that sets no cookie is stored. Every write to the tables these pages show bumps
// `publicContentVersion` (app/domains/public-content.server.ts); an entry of an older
// version is never served. Each entry keeps the exact headers it was rendered with,
// except its Content-Security-Policy: every response, a stored copy too, gets the fresh nonce
// the security middleware chose for it (the stored HTML's nonce attributes are rewritten), and
// a 304 carries no CSP header, so a browser's copy keeps the pair it was sent. Browsers and school proxies get a short public max-age, an
// ETag and 304s; `Vary: Cookie, Accept-Language` keeps a logged-in or other-language
// request from receiving a stored copy.
import crypto from "node:crypto";
import type { RequestHandler, Response } from "express";
import { publicContentVersion } from "~/domains/public-content.server";
import { i18next } from "~/i18next.server";

const PUBLIC_PAGES = [/^\/$/, /^\/courses$/, /^\/courses\/[a-z0-9-]{1,100}$/];
const MAX_ENTRIES = 300;
const MAX_QUERY = 200;
// A safety net for writes the version cannot see (raw SQL, a transaction committing after
// its last statement returned): no entry outlives this.
const MAX_AGE_MS = 30_000;
export const PUBLIC_CACHE_CONTROL = "public, max-age=30, must-revalidate";

interface Entry {
  version: number;
  status: number;
  headers: [string, string][];
  body: Buffer;
  /** The nonce the stored HTML was rendered with. */
  nonce: string | undefined;
  etag: string;
  storedAt: number;
}

const KEEP_HEADERS = ["content-type", "content-language", "link"];

export interface PageCache {
  middleware: RequestHandler;
  stats: { hits: number; misses: number; stored: number };
  clear(): void;
}

export function createPageCache(sessionCookie: string): PageCache {
  const marker = new RegExp(`(?:^|;\\s*)${sessionCookie}=`);
  const entries = new Map<string, Entry>();
  const stats = { hits: 0, misses: 0, stored: 0 };

  const middleware: RequestHandler = async (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const url = req.originalUrl;
    const q = url.indexOf("?");
    const pathname = q < 0 ? url : url.slice(0, q);
    if (!PUBLIC_PAGES.some((re) => re.test(pathname)) || url.length - pathname.length > MAX_QUERY) return next();
    if (marker.test(req.headers.cookie ?? "")) return next();
    let locale: string;
    try {
      locale = await i18next.getLocale(new Request(`http://cache${url}`, { headers: localeHeaders(req.headers) }));
    } catch {
      return next();
    }
    const key = `${locale} ${url}`;
    const version = publicContentVersion();
    const hit = entries.get(key);
    if (hit && hit.version === version && Date.now() - hit.storedAt < MAX_AGE_MS) {
      stats.hits++;
      // Most recently used last, so the oldest goes first when the map is full.
      entries.delete(key);
      entries.set(key, hit);
      return send(res, hit, req.method === "HEAD");
    }
    stats.misses++;
    capture(res, (status, body) => {
      if (status !== 200 || res.getHeader("set-cookie") || publicContentVersion() !== version) return;
      if (String(res.getHeader("cache-control") ?? "").match(/\b(private|no-store)\b/i)) return;
      const headers: [string, string][] = [];
      for (const name of KEEP_HEADERS) {
        const value = res.getHeader(name);
        if (value !== undefined) headers.push([name, String(value)]);
      }
      entries.delete(key);
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      entries.set(key, { version, status, headers, body, nonce: res.locals.cspNonce, etag: `"${crypto.createHash("sha1").update(body).digest("base64url")}"`, storedAt: Date.now() });
      stats.stored++;
    });
    // A fresh render is as public as the stored copy will be.
    res.setHeader("Cache-Control", PUBLIC_CACHE_CONTROL);
    res.setHeader("Vary", "Cookie, Accept-Language");
    next();
  };

  return { middleware, stats, clear: () => entries.clear() };
}

function localeHeaders(headers: Record<string, string | string[] | undefined>) {
  const out: Record<string, string> = {};
  if (typeof headers.cookie === "string") out.cookie = headers.cookie;
  if (typeof headers["accept-language"] === "string") out["accept-language"] = headers["accept-language"];
  return out;
}

function send(res: Response, entry: Entry, head: boolean) {
  for (const [name, value] of entry.headers) res.setHeader(name, value);
  res.setHeader("Cache-Control", PUBLIC_CACHE_CONTROL);
  res.setHeader("Vary", "Cookie, Accept-Language");
  res.setHeader("ETag", entry.etag);
  res.setHeader("X-Page-Cache", "hit");
  if (etagMatches(res.req.headers["if-none-match"], entry.etag)) {
    res.removeHeader("Content-Security-Policy");
    return res.status(304).end();
  }
  const nonce: string | undefined = res.locals.cspNonce;
  const body =
    entry.nonce && nonce && nonce !== entry.nonce
      ? Buffer.from(entry.body.toString("utf8").replaceAll(`nonce="${entry.nonce}"`, `nonce="${nonce}"`), "utf8")
      : entry.body;
  res.status(entry.status);
  res.setHeader("Content-Length", body.length);
  if (head) return res.end();
  res.end(body);
}

function etagMatches(header: string | undefined, etag: string) {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const t = tag.trim().replace(/^W\//, "");
    return t === "*" || t === etag;
  });
}

/** Calls `done` with the status and the uncompressed body once the response has ended. */
function capture(res: Response, done: (status: number, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk == null || typeof chunk === "function" || overflow) return;
    const buf = Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > 2 * 1024 * 1024) overflow = true;
    else chunks.push(buf);
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as Response["write"];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    if (!overflow) {
      try {
        done(res.statusCode, Buffer.concat(chunks));
      } catch {
        // a cache that cannot store is only slower
      }
    }
    return end(chunk, ...rest);
  }) as Response["end"];
}
