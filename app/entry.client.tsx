import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import i18next from "i18next";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { DEFAULT_LOCALE, i18nConfig } from "~/i18n";

async function hydrate() {
  // The page's strings come with the root loader's data; root.tsx adds them to i18next
  // before anything renders, so there is no extra request for translations.
  await i18next.use(initReactI18next).init({
    ...i18nConfig,
    lng: document.documentElement.lang || DEFAULT_LOCALE,
    resources: {},
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
