#!/usr/bin/env bash
# Installs the Debian packages scoracle needs, when any is missing.  Quiet
# when everything is there.
# Usage: scripts/deps.sh [serve|test]
#   serve  what building and running the server needs (make run)
#   test   that, plus the test, fuzz and benchmark tools (make test)
set -euo pipefail

serve=(
  build-essential pkg-config
  libmicrohttpd-dev libjansson-dev libopenblas-serial-dev libsodium-dev
  libsqlite3-dev libdouble-conversion-dev
  # npm (with node) fetches the web arena's pinned libraries for build/web.
  nodejs
)
test=(
  clang libclang-rt-14-dev libcmocka-dev libcurl4-openssl-dev
  python3 python3-pytest python3-numpy python3-scipy python3-jsonschema
  python3-nacl python3-matplotlib python3-yaml python3-mpmath python3-fpylll
  python3-venv python3-setuptools
  valgrind wrk curl jq chromium gcovr
  postgresql libpq-dev python3-psycopg2
)

case "${1:-test}" in
  serve) pkgs=("${serve[@]}") ;;
  test) pkgs=("${serve[@]}" "${test[@]}") ;;
  *) echo "deps.sh: unknown set $1 (serve or test)" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
# Debian's nodejs leaves npm to a package of its own (NodeSource's
# nodejs carries it); the web arena's build needs the command.
command -v npm >/dev/null || missing+=(npm)
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
