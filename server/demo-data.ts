// Demo data (four demo accounts with a published password, a platform admin among them, demo
// courses, a school, scheduling) belongs to the embedded, local default only.
//   SKILLRELAY_DEMO_DATA=1  always create it (Playwright, Vitest);  =0  never.
//   unset                   create it when the database is the embedded one and NODE_ENV was
//                           not set to production by whoever started the server (server/env.ts
//                           defaults NODE_ENV to production after recording what was given).
import { nodeEnvGiven } from "./env.js";

export function demoDataWanted(opts: { embedded: boolean; env?: Record<string, string | undefined>; nodeEnv?: string }) {
  const env = opts.env ?? process.env;
  const flag = env.SKILLRELAY_DEMO_DATA;
  if (flag === "1" || flag === "true") return true;
  if (flag === "0" || flag === "false") return false;
  const nodeEnv = "nodeEnv" in opts ? opts.nodeEnv : nodeEnvGiven;
  return opts.embedded && nodeEnv !== "production";
}
