// Multipart uploads over real HTTP, paced like a slow link, for the upload fault tests.
import http from "node:http";
import { createSessionCookie } from "~/domains/auth/session.server";

export const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface UploadReply {
  status: number;
  body: string;
  /** The client was cut off before the server answered (also a refusal). */
  reset?: boolean;
}

/** The Cookie header of a real session of the user (as after log-in). */
export async function cookieFor(userId: string) {
  return (await createSessionCookie(userId)).split(";")[0];
}

/**
 * POSTs a multipart body whose `file` part is `head` followed by `fileBytes` bytes of
 * zeros, written in `chunk`-sized pieces with `pauseMs` between them. Resolves with the
 * server's answer (which may come before the body is complete).
 */
export function slowMultipartUpload(opts: {
  url: string;
  cookie: string;
  head: Buffer;
  fileBytes: number;
  filename?: string;
  chunk?: number;
  pauseMs?: number;
  fields?: Record<string, string>;
  headers?: Record<string, string>;
  /** Stop sending after this many file bytes without ending the request (a crash mid-upload). */
  stopAfter?: number;
  onSent?: (bytes: number) => void;
}): Promise<UploadReply> {
  const boundary = `----skillrelay${Math.random().toString(16).slice(2)}`;
  const u = new URL(opts.url);
  const chunk = opts.chunk ?? 64 * 1024;
  let pre = "";
  for (const [k, v] of Object.entries(opts.fields ?? {})) {
    pre += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  }
  pre += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${opts.filename ?? "big.png"}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const post = `\r\n--${boundary}--\r\n`;
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: UploadReply) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    const req = http.request({
      host: u.hostname,
      port: u.port,
      path: u.pathname + u.search,
      method: "POST",
      headers: {
        Cookie: opts.cookie,
        Origin: u.origin,
        "X-Upload": "xhr",
        "Content-Type": `multipart/form-data; boundary=${boundary}`,
        ...opts.headers,
      },
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => finish({ status: res.statusCode ?? 0, body }));
      res.on("error", () => finish({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", () => finish({ status: 0, body: "", reset: true }));
    (async () => {
      const write = (b: Buffer | string) => new Promise<void>((r) => (req.write(b) ? r() : req.once("drain", () => r())));
      await write(pre);
      await write(opts.head);
      const zeros = Buffer.alloc(chunk);
      let sent = opts.head.length;
      while (sent < opts.fileBytes && !done && !req.destroyed) {
        if (opts.stopAfter !== undefined && sent >= opts.stopAfter) {
          opts.onSent?.(sent);
          return; // leave the request hanging
        }
        const n = Math.min(chunk, opts.fileBytes - sent);
        await write(n === chunk ? zeros : zeros.subarray(0, n));
        sent += n;
        opts.onSent?.(sent);
        if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
      }
      if (!done && !req.destroyed) req.end(post);
    })().catch(() => finish({ status: 0, body: "", reset: true }));
  });
}
