// Translations outside a request (notifications, e-mails, reminders): each text is written in
// its recipient's language, from the same resource files as the pages.
import { createInstance, type TFunction } from "i18next";
import { DEFAULT_LOCALE, i18nConfig, isLocale, type Locale } from "~/i18n";
import { resources } from "~/locales/resources.server";

const cache = new Map<string, TFunction>();

export function translator(locale: string, ns: string): TFunction {
  const lng: Locale = isLocale(locale) ? locale : DEFAULT_LOCALE;
  const key = `${lng}:${ns}`;
  let t = cache.get(key);
  if (!t) {
    const instance = createInstance();
    // Resources are inline, so init completes synchronously.
    void instance.init({ ...i18nConfig, resources, lng, defaultNS: ns, initImmediate: false });
    t = instance.getFixedT(lng, ns);
    cache.set(key, t);
  }
  return t;
}
