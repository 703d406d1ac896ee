// The Content-Security-Policy nonce of the page being rendered (server/security.ts makes one
// per response). Only the server knows it; in the browser it is "" — browsers hide the
// attribute after parsing, and nothing rendered client-side needs it.
import { createContext, useContext } from "react";

export const NonceContext = createContext("");

export function useNonce() {
  return useContext(NonceContext);
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce?: string;
  }
}
