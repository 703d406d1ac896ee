import { Lucia, TimeSpan } from "lucia";
import { PrismaAdapter } from "@lucia-auth/adapter-prisma";
import { lazyDelegate } from "~/domains/db.server";
import type { Role } from "./roles";

const adapter = new PrismaAdapter(lazyDelegate("session"), lazyDelegate("user"));

export const SESSION_COOKIE = "auth_session";

export const lucia = new Lucia(adapter, {
  sessionExpiresIn: new TimeSpan(30, "d"),
  sessionCookie: {
    name: SESSION_COOKIE,
    attributes: {
      // Secure when served over HTTPS (behind a reverse proxy set COOKIE_SECURE=true).
      secure: process.env.COOKIE_SECURE === "true",
      sameSite: "lax",
    },
  },
  getSessionAttributes: (attributes) => ({ lastUsedAt: attributes.lastUsedAt }),
  getUserAttributes: (attributes) => ({
    email: attributes.email,
    name: attributes.name,
    role: attributes.role,
    locale: attributes.locale,
    timeZone: attributes.timeZone,
    disabledAt: attributes.disabledAt ?? null,
  }),
});

declare module "lucia" {
  interface Register {
    Lucia: typeof lucia;
    DatabaseUserAttributes: { email: string | null; name: string; role: Role; locale: string; timeZone: string; disabledAt: Date | null };
    DatabaseSessionAttributes: { userAgent: string | null; lastUsedAt?: Date };
  }
}
