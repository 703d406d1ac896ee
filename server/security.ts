import type { RequestHandler } from "express";

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

export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self)");
  next();
};
