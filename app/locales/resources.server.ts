// All translations, server side only: a page gets its own locale's strings inlined in the
// HTML (see root.tsx), so the browser never downloads the other language.
import enCommon from "./en/common.json";
import enAuth from "./en/auth.json";
import enLive from "./en/live.json";
import zhCommon from "./zh-CN/common.json";
import zhAuth from "./zh-CN/auth.json";
import zhLive from "./zh-CN/live.json";
import type { Locale } from "~/i18n";

export const resources: Record<Locale, Record<string, Record<string, unknown>>> = {
  en: { common: enCommon, auth: enAuth, live: enLive },
  "zh-CN": { common: zhCommon, auth: zhAuth, live: zhLive },
};
