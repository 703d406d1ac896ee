import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import i18next from "i18next";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nConfig } from "~/i18n";

declare global {
  interface Window {
    __i18n?: { locale: string; resources: Record<string, Record<string, unknown>> };
  }
}

async function hydrate() {
  // The server inlines this page's locale and strings (root.tsx): no extra request.
  const boot = window.__i18n ?? { locale: i18nConfig.fallbackLng, resources: {} };
  await i18next.use(initReactI18next).init({
    ...i18nConfig,
    lng: boot.locale,
    resources: { [boot.locale]: boot.resources },
  });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

hydrate();
