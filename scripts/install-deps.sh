#!/usr/bin/env bash
# install-deps.sh: the Debian packages curlium builds and tests with.
# Idempotent; needs root (or sudo) on a Debian 12 machine.
set -euo pipefail

build_pkgs=(build-essential g++ meson ninja-build pkg-config cmake perl golang-go
  libnghttp2-dev libc-ares-dev zlib1g-dev libbrotli-dev libzstd-dev libpsl-dev
  xz-utils dpkg-dev ca-certificates)
test_pkgs=(nginx-light tinyproxy openssl python3 curl libcurl4 libcurl3-gnutls php-cli php-curl
  git valgrind binutils brotli zstd nghttp2-server libevent-dev python3-pycurl
  iproute2 nghttp2-proxy strace)

want=()
for p in "${build_pkgs[@]}" "${test_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || want+=("$p")
done
[ ${#want[@]} -eq 0 ] && exit 0

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${want[@]}"
# nginx's package starts a system service on port 80 (tinyproxy's on
# 8888); our tests start their own.
for svc in nginx tinyproxy; do
  "${sudo_cmd[@]}" systemctl disable --now "$svc" >/dev/null 2>&1 || \
    "${sudo_cmd[@]}" service "$svc" stop >/dev/null 2>&1 || true
done
