import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NAMESPACES } from "~/i18n";

// Every string exists in both languages: there is no fallback language (see app/i18n.ts).
const dir = path.resolve(import.meta.dirname, "../../app/locales");
const PLURAL = /_(zero|one|two|few|many|other)$/;
// Time-zone names are translated for Chinese only; English shows the IANA name (defaultValue).
const ZH_ONLY = /^zones\./;

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("translations", () => {
  it.each(NAMESPACES)("%s has the same keys in zh-CN and en", (ns) => {
    const load = (locale: string) =>
      new Set(keys(JSON.parse(fs.readFileSync(path.join(dir, locale, `${ns}.json`), "utf8"))).map((k) => k.replace(PLURAL, "")));
    const en = load("en");
    const zh = load("zh-CN");
    expect([...en].filter((k) => !zh.has(k))).toEqual([]);
    expect([...zh].filter((k) => !en.has(k) && !ZH_ONLY.test(k))).toEqual([]);
  });
});
