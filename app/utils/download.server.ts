// The one way to hand a generated file to the browser (CSV, XLSX, PDF, iCalendar): the type
// from the file name's extension, an ASCII name plus the UTF-8 name (RFC 6266 / 5987) so a
// Chinese title survives, and never cached by a shared cache. Stored media (range requests,
// inline playback) go through courses/media.server.ts instead.

const TYPES = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
  ics: "text/calendar; charset=utf-8",
} as const;

export type DownloadKind = keyof typeof TYPES;

export interface DownloadOptions {
  /** Shown in the browser (a calendar feed) rather than saved. */
  inline?: boolean;
  /** The name for browsers that ignore filename* when fileName is not ASCII. */
  asciiName?: string;
  cacheControl?: string;
  headers?: Record<string, string>;
}

export function contentDisposition(fileName: string, inline = false, asciiName?: string): string {
  const ascii = asciiName ?? fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const kind = inline ? "inline" : "attachment";
  return ascii === fileName ? `${kind}; filename="${fileName}"` : `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function fileDownload(body: string | Uint8Array<ArrayBuffer>, fileName: string, options: DownloadOptions = {}): Response {
  const extension = fileName.slice(fileName.lastIndexOf(".") + 1).toLowerCase();
  const type = TYPES[extension as DownloadKind];
  if (!type) throw new Error(`fileDownload: no content type for ".${extension}"`);
  return new Response(body, {
    headers: {
      "Content-Type": type,
      "Content-Disposition": contentDisposition(fileName, options.inline, options.asciiName),
      "Cache-Control": options.cacheControl ?? "private, no-store",
      ...options.headers,
    },
  });
}
