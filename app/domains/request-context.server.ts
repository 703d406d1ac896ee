// What the server knows about the request being handled, for its log line: the request id
// and, once the session cookie has been checked, the user. The Express server and the Remix
// build are separate module instances, so the one AsyncLocalStorage lives on globalThis.
import { AsyncLocalStorage } from "node:async_hooks";

export interface RequestContext {
  requestId: string;
  userId?: string;
}

const KEY = Symbol.for("skillrelay.requestContext");
const holder = globalThis as unknown as { [KEY]?: AsyncLocalStorage<RequestContext> };
export const requestContext: AsyncLocalStorage<RequestContext> = (holder[KEY] ??= new AsyncLocalStorage<RequestContext>());

/** Notes the logged-in user of the current request (no-op outside a request). */
export function noteRequestUser(userId: string) {
  const context = requestContext.getStore();
  if (context) context.userId = userId;
}
