import type { Server } from "socket.io";
import { validateCookieHeader } from "~/domains/auth/session.server";

/** Every socket.io connection is authenticated from the same Lucia cookie as the pages. */
export function authenticateSockets(io: Server) {
  io.use(async (socket, next) => {
    try {
      const { user, session } = await validateCookieHeader(socket.handshake.headers.cookie);
      if (!user || !session) return next(Object.assign(new Error("unauthorized"), { data: { code: "unauthorized" } }));
      socket.data.user = { id: user.id, name: user.name, role: user.role };
      // The live service ends this socket when this log-in ends (log-out, expiry, ...).
      socket.data.sessionId = session.id;
      next();
    } catch (err) {
      next(Object.assign(new Error("internal"), { data: { code: "internal", message: (err as Error).message } }));
    }
  });
}
