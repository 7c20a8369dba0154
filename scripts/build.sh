#!/usr/bin/env bash
# build.sh: everything from a fresh Debian 12 machine to a working curlium:
# Debian packages, BoringSSL from Debian's chromium source (cached), the meson
# build, then the main job (scripts/demo.sh).
#
#   scripts/build.sh            # build + demo
#   BUILD_DIR=out scripts/build.sh --no-demo
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
demo=1
[ "${1:-}" = "--no-demo" ] && demo=0

"$top/scripts/install-deps.sh"
prefix=$("$top/scripts/bootstrap-boringssl.sh" | tail -n 1)
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top" -Dboringssl_dir="$prefix"
else
  meson configure "$build" -Dboringssl_dir="$prefix" >/dev/null
fi
ninja -C "$build"
[ "$demo" -eq 1 ] && exec "$top/scripts/demo.sh" "$build"
exit 0
