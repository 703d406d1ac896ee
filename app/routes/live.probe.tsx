// Link-quality probe for the pre-join screen: N random-ish bytes, never cached.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/domains/auth/session.server";

const MAX_BYTES = 500_000;
let filler: Uint8Array | null = null;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const requested = Number(new URL(request.url).searchParams.get("bytes") ?? "1");
  const bytes = Number.isFinite(requested) ? Math.min(MAX_BYTES, Math.max(1, Math.floor(requested))) : 1;
  if (!filler) {
    // Incompressible, so gzip can't fake a fast link.
    filler = new Uint8Array(MAX_BYTES);
    crypto.getRandomValues(filler.subarray(0, 65_536));
    for (let i = 65_536; i < MAX_BYTES; i++) filler[i] = filler[i % 65_536]! ^ (i * 2654435761) >>> 24;
  }
  return new Response(filler.slice(0, bytes), {
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(bytes),
      "Cache-Control": "no-store",
      "Content-Encoding": "identity",
    },
  });
}
