// Counters the application itself increments, on prom-client's default registry. prom-client
// is not bundled into the Remix build, so the build and the Express server share one
// registry; this module is loaded twice (once by each), hence "get or create".
import client from "prom-client";

function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): client.Counter<L> {
  const existing = client.register.getSingleMetric(name);
  if (existing) return existing as client.Counter<L>;
  return new client.Counter({ name, help, labelNames });
}

/** Log-ins refused for a wrong e-mail/phone or password. */
export const loginFailures = counter("skillrelay_login_failures_total", "Log-ins refused for wrong credentials", []);

/** Upload forms whose file was received (before the route stores it), by upload kind. */
export const uploadsReceived = counter("skillrelay_uploads_total", "Files received by upload forms", ["kind"]);
