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
