#!/usr/bin/env bash
# install-browsers.sh: Debian's chromium and firefox-esr (and certutil, for
# Firefox's profile), which tests/fingerprint/recapture.py captures. Not in
# install-deps.sh: they are large and no test in CI needs them.
# Idempotent; needs root (or sudo) on a Debian 12 machine.
set -euo pipefail

pkgs=(chromium firefox-esr libnss3-tools)
want=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || want+=("$p")
done
if [ ${#want[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq "${want[@]}"
fi
dpkg-query -W -f='${Package} ${Version}\n' "${pkgs[@]}"
