#!/usr/bin/env bash
# Builds Debian's own libsrtp2 source package against OpenSSL (instead of NSS; decision 035) and caches
# the shared library where server/live/srtp.ts looks for it:
#
#   /var/cache/skillrelay/libsrtp2-openssl/<debian version>/libsrtp2.so.1
#   /var/cache/skillrelay/libsrtp2-openssl/<debian version>/replaces   "<path of Debian's lib> <its sha256>"
#   /var/cache/skillrelay/libsrtp2-openssl/current -> <debian version>
#
# The version is the one mediasoup-worker links (ldd). A second run with the same Debian library
# does nothing, silently (scripts/setup.mjs runs setup-system.sh before every start). It never
# fails the set-up: any problem prints one line and exits 0, and the worker keeps Debian's
# library. Opt out (silent, like SKIP_CHROMIUM): SKIP_OPENSSL_SRTP=1.
# Called by scripts/setup-system.sh; runs as root, without stdin.
set -uo pipefail

WORKER_BIN=${MEDIASOUP_WORKER_BIN:-/usr/lib/x86_64-linux-gnu/mediasoup/mediasoup-worker}
CACHE_ROOT=${SKILLRELAY_SRTP_CACHE:-/var/cache/skillrelay/libsrtp2-openssl}

skip() { echo "libsrtp2 (OpenSSL build): $*; the SFU keeps Debian's libsrtp2" >&2; exit 0; }

[ "${SKIP_OPENSSL_SRTP:-}" = 1 ] && exit 0
[ -x "$WORKER_BIN" ] || skip "no mediasoup-worker at $WORKER_BIN"

lib=$(ldd "$WORKER_BIN" 2>/dev/null | awk '$1 ~ /^libsrtp2\.so/ { print $3; exit }')
[ -n "$lib" ] && [ -e "$lib" ] || skip "mediasoup-worker does not link a libsrtp2"
real=$(readlink -f "$lib")
# Merged /usr: ldd may say /lib/..., dpkg knows /usr/lib/...
pkg=$(dpkg -S "$real" 2>/dev/null || dpkg -S "/usr$real" 2>/dev/null || dpkg -S "/usr${lib}" 2>/dev/null)
pkg=${pkg%%:*}
[ -n "$pkg" ] || skip "no Debian package owns $real"
src=$(dpkg-query -W -f='${source:Package}' "$pkg" 2>/dev/null)
ver=$(dpkg-query -W -f='${source:Version}' "$pkg" 2>/dev/null)
[ -n "$src" ] && [ -n "$ver" ] || skip "cannot tell the source package of $pkg"
sum=$(sha256sum "$real" | cut -d' ' -f1)
soname=$(basename "$lib")

out="$CACHE_ROOT/$ver"
if [ -f "$out/$soname" ] && [ "$(cat "$out/replaces" 2>/dev/null)" = "$real $sum" ]; then
  [ "$(readlink "$CACHE_ROOT/current" 2>/dev/null)" = "$ver" ] || ln -sfn "$ver" "$CACHE_ROOT/current" 2>/dev/null || true
  exit 0
fi

[ "$(id -u)" = 0 ] || skip "run as root to build it (sudo bash scripts/build-libsrtp.sh)"

echo "libsrtp2 (OpenSSL build): building $src $ver for $WORKER_BIN (a minute or two)"
export DEBIAN_FRONTEND=noninteractive
tmp=$(mktemp -d /tmp/skillrelay-libsrtp.XXXXXX) || skip "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
log="$tmp/build.log"
fail() { echo "libsrtp2 (OpenSSL build): $* failed (last lines of its log below); the SFU keeps Debian's libsrtp2" >&2; tail -n 15 "$log" >&2; exit 0; }

need=()
command -v dpkg-source >/dev/null 2>&1 || need+=(dpkg-dev)
command -v cc >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || need+=(build-essential)
[ -f /usr/include/openssl/evp.h ] || need+=(libssl-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkgconf)
if [ ${#need[@]} -gt 0 ]; then
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"; } </dev/null >>"$log" 2>&1 || fail "installing ${need[*]}"
fi

# The source lines go in a private apt state (the system's sources and lists are left alone):
# the same mirrors as the system's binary packages, as deb-src.
. /etc/os-release 2>/dev/null
codename=${VERSION_CODENAME:-bookworm}
mkdir -p "$tmp/apt/lists/partial" "$tmp/apt/cache/archives/partial"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
{
  echo "deb-src [signed-by=$keyring] http://deb.debian.org/debian $codename main"
  echo "deb-src [signed-by=$keyring] http://deb.debian.org/debian $codename-updates main"
  echo "deb-src [signed-by=$keyring] http://deb.debian.org/debian-security $codename-security main"
} >"$tmp/apt/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$tmp/apt/sources.list" -o "Dir::Etc::SourceParts=-"
  -o "Dir::State::Lists=$tmp/apt/lists" -o "Dir::Cache=$tmp/apt/cache" -o "APT::Sandbox::User=root")
apt-get "${apt_opts[@]}" update -qq </dev/null >>"$log" 2>&1 || fail "apt-get update (deb-src)"
(cd "$tmp" && apt-get "${apt_opts[@]}" source -qq "$src=$ver") </dev/null >>"$log" 2>&1 || fail "apt-get source $src=$ver"
dir=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name "$src-*" | head -n 1)
[ -n "$dir" ] || fail "unpacking $src"

jobs=$(nproc 2>/dev/null || echo 2)
(cd "$dir" && ./configure --enable-openssl --prefix=/usr && make -j"$jobs" shared_library) </dev/null >>"$log" 2>&1 \
  || fail "./configure --enable-openssl && make"
built=$(find "$dir" -maxdepth 1 -name "$soname" -type f | head -n 1)
[ -n "$built" ] || built=$(find "$dir" -maxdepth 1 -name 'libsrtp2.so.*' -type f | head -n 1)
[ -n "$built" ] || fail "finding the built $soname"
# It must really use OpenSSL's crypto, or there is nothing to gain.
ldd "$built" 2>/dev/null | grep -q 'libcrypto\.so' || fail "checking that $soname links libcrypto"

mkdir -p "$out" || skip "cannot create $out"
cp "$built" "$out/$soname.tmp" && mv "$out/$soname.tmp" "$out/$soname" || skip "cannot write $out/$soname"
echo "$real $sum" >"$out/replaces"
ln -sfn "$ver" "$CACHE_ROOT/current"
echo "libsrtp2 (OpenSSL build): $src $ver cached in $out"
