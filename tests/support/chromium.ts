/** The one Chromium of the tests and benches (Debian's; Playwright never downloads one) and its flags. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Flags for a live room: fake camera, microphone and screen, no background traffic.
 * `origin`: a plain-http origin that must count as secure for getUserMedia (any origin but localhost).
 * `fakeDevices`: how many fake cameras and microphones (Chromium's default is one of each).
 */
export function chromiumArgs(opts: { origin?: string; fakeDevices?: number; extra?: string[] } = {}): string[] {
  return [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    opts.fakeDevices ? `--use-fake-device-for-media-stream=device-count=${opts.fakeDevices}` : "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    ...(opts.origin ? [`--unsafely-treat-insecure-origin-as-secure=${opts.origin}`] : []),
    ...(opts.extra ?? []),
  ];
}
