#!/usr/bin/env bash
# Installs the Debian packages scoracle builds, runs and tests with, when
# any is missing.  Quiet when everything is there.
set -euo pipefail

pkgs=(
  build-essential pkg-config clang libclang-rt-14-dev
  libmicrohttpd-dev libjansson-dev libopenblas-serial-dev libsodium-dev
  libsqlite3-dev libcmocka-dev libcurl4-openssl-dev
  python3 python3-pytest python3-numpy python3-scipy python3-jsonschema
  python3-nacl python3-matplotlib python3-yaml
  nodejs valgrind wrk curl jq chromium gcovr
)

missing=()
for p in "${pkgs[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: not root; run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
