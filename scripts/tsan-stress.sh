#!/usr/bin/env bash
# tsan-stress.sh: curlium under ThreadSanitizer. Builds the library in a
# separate meson build dir with -Db_sanitize=thread (build-tsan/ next to
# build/ unless TSAN_BUILD_DIR is set), then runs the thread stress test
# (tests/integration/test_threads.py: 8 threads x 200 transfers on their
# own easy handles, then the same with one shared share handle) against
# it with tests/tsan.supp. Any ThreadSanitizer report fails the run.
#
#   scripts/tsan-stress.sh          # build + run (~1-3 min on 2 cores)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tsan=${TSAN_BUILD_DIR:-$top/build-tsan}
if [ ! -f "$tsan/build.ninja" ]; then
  # The BoringSSL of the main build if there is one, else the bootstrap's.
  prefix=$(meson introspect --buildoptions "$top/build" 2>/dev/null |
    python3 -c 'import json,sys; print(next((o["value"] for o in json.load(sys.stdin) if o["name"] == "boringssl_dir"), ""))' 2>/dev/null || true)
  [ -n "$prefix" ] || prefix=$("$top/scripts/bootstrap-boringssl.sh" | tail -n 1)
  meson setup "$tsan" "$top" -Dboringssl_dir="$prefix" -Db_sanitize=thread \
    -Db_lundef=false -Dtests=false --buildtype=debugoptimized
fi
ninja -C "$tsan" -j2
CURLIUM_TSAN=1 exec python3 "$top/tests/integration/run.py" \
  --build-dir "$tsan" -k test_threads:: --timeout 600
