// Emoji and dingbats render as empty boxes where no emoji font is installed (a cheap phone,
// a school PC): the app uses the inline-SVG Icon (app/components/ui/icon.tsx) instead.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const PICTOGRAPHS = /[\u{1F000}-\u{1FFFF}\u{2300}-\u{23FF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}\u{2191}\u{2193}]/u;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.(tsx?|json)$/.test(e.name) ? [p] : [];
  });
}

describe("no emoji in the app", () => {
  it("no source file or translation uses a pictograph character", () => {
    const offenders = files(path.resolve("app")).flatMap((f) =>
      fs
        .readFileSync(f, "utf8")
        .split("\n")
        .flatMap((line, i) => (PICTOGRAPHS.test(line) ? [`${path.relative(".", f)}:${i + 1}: ${line.trim().slice(0, 80)}`] : [])),
    );
    expect(offenders).toEqual([]);
  });
});
