// Changes to who may do what, announced to whatever holds long-lived access (live-room
// sockets): log-out, "end my other sessions", a password change, a role change, a disabled
// account, a removal from a school. Listeners end or re-check what the change concerns.
// One emitter per process, kept on globalThis: the Remix build and the server each load
// their own copy of this module, and both must reach the same listeners.
import { EventEmitter } from "node:events";

export type AccessChangeReason =
  | "logout"
  | "sessions_ended"
  | "password_changed"
  | "role_changed"
  | "disabled"
  | "removed_from_school";

export interface AccessChange {
  userId: string;
  /** Only these sessions ended; absent: every session of the user is concerned. */
  sessionIds?: string[];
  reason: AccessChangeReason;
}

const KEY = Symbol.for("skillrelay.auth.accessChanges");
const globals = globalThis as unknown as Record<symbol, EventEmitter | undefined>;
const bus = (globals[KEY] ??= new EventEmitter().setMaxListeners(0));

export function announceAccessChange(change: AccessChange) {
  bus.emit("change", change);
}

/** Returns the function that stops listening. */
export function onAccessChange(listener: (change: AccessChange) => void) {
  bus.on("change", listener);
  return () => void bus.off("change", listener);
}
