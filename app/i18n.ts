export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";
export const NAMESPACES = ["common", "auth", "live", "courses", "scheduling", "schools", "admin", "content", "assessment", "records"] as const;

export const LOCALE_NAMES: Record<Locale, string> = { "zh-CN": "中文", en: "English" };

export const i18nConfig = {
  supportedLngs: [...LOCALES],
  // No fallback language: the browser holds only the page's own locale, so a key missing in
  // it must render the same (its defaultValue) on the server and in the browser, or hydration
  // fails. Both locale files carry every key (checked in tests/unit/locales.test.ts).
  fallbackLng: false as const,
  defaultNS: "common",
  ns: [...NAMESPACES],
  interpolation: { escapeValue: false },
  // Strings arrive with the page (root loader); nothing is ever loaded lazily.
  react: { useSuspense: false },
};

/**
 * The translation namespaces a page needs, from its URL. The root loader sends only these
 * (a lesson page should not carry the live room's or the school admin's strings), and
 * revalidates when a navigation needs a different set.
 */
export function namespacesForPath(pathname: string): string[] {
  const ns = new Set(["common"]);
  const section = pathname.split("/")[1] ?? "";
  const map: Record<string, string[]> = {
    login: ["auth"],
    signup: ["auth"],
    account: ["auth"],
    "reset-password": ["auth"],
    invite: ["auth", "schools"],
    join: ["schools"],
    "": ["content"],
    courses: ["courses", "content", "assessment"],
    teach: ["courses", "assessment"],
    marking: ["assessment"],
    competitions: ["assessment", "courses"],
    dashboard: ["auth", "courses", "scheduling", "schools"],
    live: ["live", "scheduling"],
    sessions: ["live", "scheduling"],
    schedule: ["scheduling"],
    notifications: ["scheduling"],
    calendar: ["scheduling"],
    school: ["schools", "courses", "scheduling", "records"],
    records: ["records"],
    admin: ["admin", "assessment", "content", "records"],
    certificates: ["assessment"],
    verify: ["assessment"],
    policies: ["content"],
    stories: ["content"],
    experts: ["admin", "content"],
    // /schools/apply (organisation applications): its strings are in the admin namespace.
    schools: ["admin"],
  };
  for (const n of map[section] ?? []) ns.add(n);
  return [...ns].sort();
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}
