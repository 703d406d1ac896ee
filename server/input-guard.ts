import type { RequestHandler } from "express";
import { hasControlCharacters } from "~/utils/input";

/**
 * Refuses, for every route, a URL that no page can use: malformed percent-encoding or
 * control characters (NUL, which PostgreSQL cannot store or compare, among them).
 */
export const refuseMalformedUrls: RequestHandler = (req, res, next) => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(req.originalUrl.replace(/\+/g, " "));
  } catch {
    res.status(400).type("text/plain").send("Bad request: malformed percent-encoding in the URL");
    return;
  }
  if (hasControlCharacters(decoded)) {
    res.status(400).type("text/plain").send("Bad request: control characters (such as NUL) are not allowed in URLs");
    return;
  }
  next();
};

/**
 * Every action of the app reads a form: a request body of another type (JSON, none
 * declared, multipart without a boundary) is refused with 415 before any route code runs.
 */
export const refuseNonFormBodies: RequestHandler = (req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const length = req.headers["content-length"];
  const chunked = /chunked/i.test(req.headers["transfer-encoding"] ?? "");
  if (!chunked && (length === undefined || length === "0")) return next(); // no body (e.g. a bare log-out)
  const type = req.headers["content-type"] ?? "";
  if (/^application\/x-www-form-urlencoded\b/i.test(type) || /^multipart\/form-data;.*\bboundary=/i.test(type)) return next();
  const refuse = () => {
    res.status(415).type("text/plain").send("Unsupported body: send a form (application/x-www-form-urlencoded or multipart/form-data)");
  };
  // Read (and drop) a small body before answering, so the client's connection is not
  // reset under it; a large one is cut off.
  if (Number(length ?? Infinity) > 64 * 1024) {
    res.setHeader("Connection", "close");
    refuse();
    return;
  }
  req.on("error", () => undefined);
  req.on("end", refuse);
  req.resume();
};
