#!/usr/bin/env bash
# Installs the Debian packages SkillRelay needs: mediasoup's worker (from experimental,
# pinned so nothing else comes from there), Chromium for Playwright, ffmpeg for recording.
# Then builds Debian's libsrtp2 against OpenSSL for the SFU (scripts/build-libsrtp.sh, decision 035;
# cached; never fails the set-up; SKIP_OPENSSL_SRTP=1 skips it; only as root — without the
# build the workers use Debian's libsrtp2 and the server's log says why).
# Idempotent: does nothing when everything is present.
set -euo pipefail

build_srtp() { [ "$(id -u)" != 0 ] || bash "$(dirname "${BASH_SOURCE[0]}")/build-libsrtp.sh" </dev/null || true; }

WORKER_BIN=/usr/lib/x86_64-linux-gnu/mediasoup/mediasoup-worker
need=()
[ -x "$WORKER_BIN" ] || need+=(mediasoup-worker)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
# ip, tc: the live network tests put a browser in a network namespace (tests/integration/live-netns.test.ts).
command -v tc >/dev/null 2>&1 || need+=(iproute2)
# pdftotext: the certificate tests read the generated PDFs back.
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ "${SKIP_CHROMIUM:-}" = 1 ]; then need=("${need[@]/fonts-noto-cjk}"); need=("${need[@]/chromium}"); fi
pkgs=()
for p in "${need[@]}"; do [ -n "$p" ] && pkgs+=("$p"); done
if [ ${#pkgs[@]} -eq 0 ]; then build_srtp; exit 0; fi

if [ "$(id -u)" != 0 ]; then
  echo "SkillRelay needs these Debian packages: ${pkgs[*]}" >&2
  echo "Run as root:  sudo bash scripts/setup-system.sh" >&2
  exit 1
fi

if [[ " ${pkgs[*]} " == *" mediasoup-worker "* ]]; then
  if [ ! -f /etc/apt/sources.list.d/experimental.sources ]; then
    cat > /etc/apt/sources.list.d/experimental.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: experimental
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  cat > /etc/apt/preferences.d/skillrelay-mediasoup <<'PIN'
Package: *
Pin: release a=experimental
Pin-Priority: -10

Package: mediasoup-worker
Pin: release a=experimental
Pin-Priority: 500
PIN
fi

echo "Installing Debian packages: ${pkgs[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
[ -x "$WORKER_BIN" ] || { echo "mediasoup-worker did not install at $WORKER_BIN" >&2; exit 1; }
build_srtp
