import { i18next } from "~/i18next.server";
import { DEFAULT_LOCALE, isLocale } from "~/i18n";
import { safeTimeZone, type DateOptions } from "./datetime";

/** How this request shows dates: the page's language (not the one stored at sign-up) and the user's zone. */
export async function dateOptions(request: Request, user?: { timeZone?: string | null } | null): Promise<DateOptions> {
  const l = await i18next.getLocale(request);
  return { locale: isLocale(l) ? l : DEFAULT_LOCALE, timeZone: safeTimeZone(user?.timeZone) };
}
