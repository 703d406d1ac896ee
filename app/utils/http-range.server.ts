import type { Readable } from "node:stream";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { parseRange, type ByteRange } from "./http-range";

/**
 * Answers a GET/HEAD for a file of `size` bytes, honouring Range: 200 with the whole file,
 * 206 with one range, 416 for a bad range. `headers` carries the caller's type/caching headers.
 */
export function rangedFileResponse(
  request: Request,
  size: number,
  headers: Headers,
  open: (range?: ByteRange) => Readable,
): Response {
  headers.set("Accept-Ranges", "bytes");
  const range = parseRange(request.headers.get("Range"), size);
  if (range === "invalid") {
    headers.set("Content-Range", `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  if (request.method === "HEAD") {
    headers.set("Content-Length", String(size));
    return new Response(null, { status: 200, headers });
  }
  if (!range) {
    headers.set("Content-Length", String(size));
    return new Response(createReadableStreamFromReadable(open()), { status: 200, headers });
  }
  headers.set("Content-Length", String(range.end - range.start + 1));
  headers.set("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
  return new Response(createReadableStreamFromReadable(open(range)), { status: 206, headers });
}
