#!/usr/bin/env bash
# bootstrap-boringssl.sh: fetch the BoringSSL that Debian's chromium source
# package ships, build libssl/libcrypto static + PIC, and cache the result
# outside the work tree, keyed by the BoringSSL revision.
#
# Prints the install prefix (holding include/ and lib/) on its last line.
# The system's apt sources are never touched: a private apt configuration
# carries deb-src lines for the machine's own suites.
#
# Environment:
#   CURLIUM_CACHE   cache root (default: ${XDG_CACHE_HOME:-$HOME/.cache}/curlium)
set -euo pipefail

cache=${CURLIUM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/curlium}
here=$(cd "$(dirname "$0")" && pwd)
patches="$here/../packaging/boringssl-patches"
mkdir -p "$cache"
log() { echo "bootstrap-boringssl: $*" >&2; }

# Reuse a finished build without touching the network. The marker names the
# revision and a hash of our patches so a patch change forces a rebuild.
patch_hash=$( { find "$patches"/ -name '*.patch' -type f 2>/dev/null | sort | xargs -r cat; } | sha256sum | cut -c1-12)
# Each patch set has its own prefix, so checkouts with different patches
# (branches, worktrees) never replace each other's build.
for prefix in "$cache"/boringssl-*-p"$patch_hash"; do
  if [ -f "$prefix/lib/libssl.a" ] && [ -f "$prefix/.patch-$patch_hash" ]; then
    log "cached build at $prefix"
    echo "$prefix"
    exit 0
  fi
done

# --- private apt configuration: deb-src for the machine's own suites -------
# scripts/private-apt.sh owns it; refresh the index since we are about to
# download anyway.
papt() { "$here/private-apt.sh" "$@"; }
papt --update apt-cache policy >/dev/null

# --- download: newest listed version first, fall back on a 404 -----------
versions=$(papt apt-cache showsrc chromium 2>/dev/null \
  | awk '/^Version:/ {print $2}' | sort -Vr | uniq)
[ -n "$versions" ] || { log "chromium source package not listed"; exit 1; }
src="$cache/src"
mkdir -p "$src"
got=""
# A version already extracted (or fully downloaded) needs no network: use
# the newest such one first.
for v in $versions; do
  uv=${v#*:}
  if [ -f "$cache/boringssl-src-${uv%-*}/.extracted" ]; then
    got=$v
    break
  fi
done
for v in $versions; do
  [ -n "$got" ] && break
  uv=${v#*:}
  uv_upstream=${uv%-*}
  if ls "$src"/chromium_"$uv_upstream".orig.tar.* >/dev/null 2>&1 && \
     [ -f "$src/chromium_$uv.dsc" ]; then
    got=$v; break
  fi
  log "downloading chromium source $v"
  if (cd "$src" && papt apt-get source --download-only "chromium=$v" >&2); then
    got=$v; break
  fi
  log "chromium $v could not be downloaded; trying an older version"
  rm -f "$src"/chromium_"$uv_upstream"* # a partial download is useless
done
[ -n "$got" ] || { log "no chromium source version could be downloaded"; exit 1; }
uv=${got#*:}
orig=$(ls "$src"/chromium_"${uv%-*}".orig.tar.* 2>/dev/null | head -n1)

# --- extract only third_party/boringssl/src ---------------------------------
work="$cache/boringssl-src-${uv%-*}"
if [ ! -f "$work/.extracted" ]; then
  log "extracting third_party/boringssl/src from $(basename "$orig")"
  rm -rf "$work"; mkdir -p "$work"
  tar -xf "$orig" -C "$work" --strip-components=1 --wildcards \
    '*/third_party/boringssl/src/*'
  touch "$work/.extracted"
fi
bsrc="$work/third_party/boringssl/src"
[ -f "$bsrc/CMakeLists.txt" ] || { log "no BoringSSL in $orig"; exit 1; }

# The revision: Chromium's DEPS pins it; the source carries no .git, so we
# take it from DEPS if present, else from a hash of the tree.
rev=""
if [ ! -s "$work/DEPS" ] && [ -n "$orig" ]; then
  tar -xOf "$orig" --wildcards '*/DEPS' 2>/dev/null > "$work/DEPS" || true
fi
if [ -s "$work/DEPS" ]; then
  rev=$(grep -oE "'boringssl_revision': '[0-9a-f]{40}'" "$work/DEPS" | grep -oE '[0-9a-f]{40}' || true)
fi
[ -n "$rev" ] || rev="tree-$(cd "$bsrc" && find . -type f -name '*.cc' -o -name '*.h' | sort | xargs cat | sha256sum | cut -c1-16)"
prefix="$cache/boringssl-$rev-p$patch_hash"

if [ ! -f "$prefix/lib/libssl.a" ] || [ ! -f "$prefix/.patch-$patch_hash" ]; then
  build="$cache/boringssl-build-$rev-p$patch_hash"
  # Build next to the cached copy and swap at the end, so a build that
  # links against the cache keeps working until the new one is complete.
  rm -rf "$build" "$build.src" "$prefix.new"
  cp -a "$bsrc" "$build.src"
  for p in "$patches"/*.patch; do
    [ -f "$p" ] || continue
    log "applying $(basename "$p")"
    patch -d "$build.src" -p1 < "$p" >&2
  done
  log "building BoringSSL $rev"
  cmake -S "$build.src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DBUILD_SHARED_LIBS=OFF \
    -DCMAKE_C_FLAGS="-fvisibility=hidden" -DCMAKE_CXX_FLAGS="-fvisibility=hidden" \
    -DBUILD_TESTING=OFF >&2
  ninja -C "$build" ssl crypto >&2
  mkdir -p "$prefix.new/lib"
  cp "$build/libssl.a" "$build/libcrypto.a" "$prefix.new/lib/"
  cp -a "$build.src/include" "$prefix.new/include"
  echo "$rev" > "$prefix.new/REVISION"
  echo "$got" > "$prefix.new/CHROMIUM_VERSION"
  touch "$prefix.new/.patch-$patch_hash"
  rm -rf "$prefix"
  mv "$prefix.new" "$prefix"
  rm -rf "$build" "$build.src"
fi
echo "$prefix" > "$cache/boringssl-current"
log "BoringSSL $rev ready at $prefix"
echo "$prefix"
