import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler, Response } from "express";
import helmet from "helmet";
import onHeaders from "on-headers";

/**
 * Cross-site request protection for every state-changing request (all Remix actions):
 * the Origin (or, failing that, Referer) must be this site or one listed in TRUSTED_ORIGINS.
 * Together with SameSite=Lax session cookies this blocks form posts from other sites.
 */
export function sameOriginGuard(): RequestHandler {
  const trusted = (process.env.TRUSTED_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const source = req.get("origin") ?? refererOrigin(req.get("referer"));
    const host = req.get("x-forwarded-host") && process.env.TRUST_PROXY ? req.get("x-forwarded-host") : req.get("host");
    if (source) {
      try {
        const url = new URL(source);
        if (url.host === host || trusted.includes(url.origin)) return next();
      } catch {
        // fall through to the refusal
      }
    }
    res.status(403).type("text/plain").send("Cross-site request refused");
  };
}

function refererOrigin(referer: string | undefined) {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

/**
 * Security headers (helmet), with a Content-Security-Policy whose scripts and <style>
 * elements must carry the per-request nonce (res.locals.cspNonce, handed to Remix through
 * the load context). Style *attributes* stay allowed: React renders progress bars and the
 * chart's height as style="", which cannot carry a nonce. WebSockets to this host are
 * covered by 'self' (CSP Level 3); live video is blob:/mediastream:.
 * HSTS and upgrade-insecure-requests only when the site is served over HTTPS
 * (COOKIE_SECURE=true): on a plain-HTTP LAN install they would break every page.
 */
export function securityHeaders(env: Partial<Record<string, string>> = process.env): RequestHandler[] {
  const https = env.COOKIE_SECURE === "true";
  const nonce: RequestHandler = (_req, res, next) => {
    res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
    next();
  };
  const withNonce = (_req: IncomingMessage, res: ServerResponse) => `'nonce-${(res as Response).locals.cspNonce}'`;
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'", withNonce],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", withNonce],
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:"],
        mediaSrc: ["'self'", "blob:", "mediastream:"],
        fontSrc: ["'self'", "data:"],
        // `remix dev` talks to its own port on localhost.
        connectSrc: env.NODE_ENV === "development" ? ["'self'", "ws://localhost:*", "http://localhost:*"] : ["'self'"],
        workerSrc: ["'self'", "blob:"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    crossOriginOpenerPolicy: { policy: "same-origin" },
    crossOriginResourcePolicy: { policy: "same-origin" },
    crossOriginEmbedderPolicy: { policy: "require-corp" },
    originAgentCluster: true,
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    xContentTypeOptions: true,
    xFrameOptions: { action: "deny" },
    xDnsPrefetchControl: { allow: false },
    xDownloadOptions: true,
    xPermittedCrossDomainPolicies: { permittedPolicies: "none" },
    xXssProtection: false,
  });
  const permissions: RequestHandler = (_req, res, next) => {
    // Not in helmet: camera, microphone and screen sharing for this site only (live rooms).
    res.setHeader("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self)");
    next();
  };
  return [nonce, headers, permissions];
}

/**
 * Personal responses must not be kept by shared caches or the browser's history cache:
 * anything answered to a logged-in browser (its session cookie is sent) or setting a cookie
 * gets `Cache-Control: private, no-store`, unless the route already chose a private policy
 * (media files, recordings). Anonymous public pages are left alone.
 */
export function personalCacheControl(sessionCookie: string): RequestHandler {
  const marker = new RegExp(`(?:^|;\\s*)${sessionCookie}=[^;]`);
  return (req, res, next) => {
    const loggedIn = marker.test(req.headers.cookie ?? "");
    onHeaders(res, () => {
      if (!loggedIn && !res.getHeader("set-cookie")) return;
      const current = String(res.getHeader("cache-control") ?? "");
      if (/\b(private|no-store)\b/i.test(current)) return;
      res.setHeader("Cache-Control", "private, no-store");
    });
    next();
  };
}
