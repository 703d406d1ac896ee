import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { isbot } from "isbot";
import { createInstance, type i18n as I18n } from "i18next";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { renderToPipeableStream } from "react-dom/server";
import { i18next } from "~/i18next.server";
import { i18nConfig } from "~/i18n";
import { resources } from "~/locales/resources.server";
import { NonceContext } from "~/utils/nonce";
import { databaseAvailability, databaseOutageResponse, reportDatabaseError } from "~/domains/db-availability.server";

const ABORT_DELAY = 5_000;

// One read-only i18next instance per locale, made once: rendering never changes language
// on the server, and initialising per request cost ~6 % of a page's CPU.
const instances = new Map<string, Promise<I18n>>();
function i18nFor(lng: string) {
  let instance = instances.get(lng);
  if (!instance) {
    const created = createInstance();
    instance = created.use(initReactI18next).init({ ...i18nConfig, lng, resources }).then(() => created);
    instances.set(lng, instance);
  }
  return instance;
}
export const streamTimeout = ABORT_DELAY;

/** Loader/action errors: a lost database is reported (the page becomes a 503), the rest logged. */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (reportDatabaseError(error) || request.signal.aborted) return;
  // A 404 for an unknown URL, or a 4xx a loader threw on purpose, is an answer, not a fault.
  if (isRouteErrorResponse(error) && error.status < 500) return;
  console.error(error);
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce || undefined;
  if (responseStatusCode >= 500 && databaseAvailability().down) return databaseOutageResponse();
  const instance = await i18nFor(await i18next.getLocale(request));

  // Crawlers get the whole document at once; browsers get it streamed.
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce ?? ""}>
        <I18nextProvider i18n={instance}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </I18nextProvider>
      </NonceContext.Provider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY + 1000);
  });
}
