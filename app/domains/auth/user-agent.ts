/** "Chrome 120 · Android" from a User-Agent header: enough to tell one's devices apart. */
export function describeUserAgent(ua: string | null | undefined): string | null {
  if (!ua) return null;
  const browser =
    match(ua, /MicroMessenger\/(\d+)/, "WeChat") ??
    match(ua, /Edg(?:e|A|iOS)?\/(\d+)/, "Edge") ??
    match(ua, /(?:OPR|Opera)\/(\d+)/, "Opera") ??
    match(ua, /(?:Firefox|FxiOS)\/(\d+)/, "Firefox") ??
    match(ua, /(?:Chrome|CriOS)\/(\d+)/, "Chrome") ??
    match(ua, /Version\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//, "Safari");
  const os = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad|iPod/.test(ua)
      ? "iOS"
      : /Windows/.test(ua)
        ? "Windows"
        : /Mac OS X|Macintosh/.test(ua)
          ? "macOS"
          : /CrOS/.test(ua)
            ? "ChromeOS"
            : /Linux/.test(ua)
              ? "Linux"
              : null;
  const parts = [browser, os].filter(Boolean);
  return parts.length ? parts.join(" · ") : ua.slice(0, 60);
}

function match(ua: string, re: RegExp, name: string) {
  const m = ua.match(re);
  return m ? `${name} ${m[1]}` : null;
}
