import { Limit } from "~/domains/auth/limits.server";

/** Public verification page: per client address, enough for a hiring office checking a stack. */
export const certificateVerifyLimiter = new Limit("certificate_verify", 60, 15 * 60);
