import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/domains/auth/validation";

// Known ways to turn a "relative path" into another site, each as it reaches the server
// (form and query values arrive percent-decoded).
const BYPASSES = [
  "/\t/evil.example", // the reported one: redirectTo=%2F%09%2Fevil.example
  "/\n/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  " //evil.example",
  "//evil.example",
  "///evil.example",
  "////evil.example",
  "/\\evil.example",
  "\\/evil.example",
  "/\\/evil.example",
  "\\\\evil.example",
  "/%09/evil.example".replace("%09", "\u0009"),
  "https://evil.example",
  "http:evil.example",
  "https:/evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "evil.example",
  "/.//evil.example",
  "/..//evil.example",
  "/x/..//evil.example",
  "/\u0000/evil.example",
  "/\u007f/evil.example",
  "/\u0085/evil.example",
  "",
];

describe("safeRedirect", () => {
  it.each(BYPASSES)("refuses %j", (to) => {
    expect(safeRedirect(to)).toBe("/dashboard");
  });

  it("keeps same-site paths with their query and hash", () => {
    expect(safeRedirect("/live/abc")).toBe("/live/abc");
    expect(safeRedirect("/courses?level=beginner&q=weld#top")).toBe("/courses?level=beginner&q=weld#top");
    expect(safeRedirect("/")).toBe("/");
  });

  it("normalises what it keeps the way a browser would (still on this site)", () => {
    expect(safeRedirect("/a/../b")).toBe("/b");
    expect(safeRedirect("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example"); // one path segment here
    expect(safeRedirect("/课程")).toBe("/%E8%AF%BE%E7%A8%8B");
  });

  it("uses the fallback for anything that is not a string", () => {
    expect(safeRedirect(null)).toBe("/dashboard");
    expect(safeRedirect(undefined, "/")).toBe("/");
    expect(safeRedirect("x".repeat(3000))).toBe("/dashboard");
  });
});

import { describeUserAgent } from "~/domains/auth/user-agent";

describe("describeUserAgent (sessions page)", () => {
  it("names browser and system", () => {
    expect(describeUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/159.0.8154.6 Safari/537.36")).toBe("Chrome 159 · Windows");
    expect(describeUserAgent("Mozilla/5.0 (Linux; Android 13; V2183A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47")).toBe("WeChat 8 · Android");
    expect(describeUserAgent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1")).toBe("Safari 17 · iOS");
    expect(describeUserAgent(null)).toBeNull();
  });
});
