#!/usr/bin/env bash
# Builds the web arena's served tree: clients/web/src, the JS client
# (clients/js/scoracle.mjs) and the pinned front-end libraries from
# clients/web's lockfile (npm ci when missing), into BUILD/web.
# Usage: scripts/web.sh BUILD
set -eu
build=${1:-build}
out="$build/web"
if [ ! -d clients/web/node_modules/uplot ]; then
  (cd clients/web && npm ci --no-audit --no-fund >/dev/null)
fi
rm -rf "$out.tmp"
mkdir -p "$out.tmp/vendor"
cp -R clients/web/src/. "$out.tmp/"
cp clients/js/scoracle.mjs "$out.tmp/scoracle.mjs"
cp clients/web/node_modules/uplot/dist/uPlot.esm.js \
   clients/web/node_modules/uplot/dist/uPlot.min.css \
   clients/web/node_modules/uplot/LICENSE "$out.tmp/vendor/"
mv "$out.tmp/vendor/LICENSE" "$out.tmp/vendor/uPlot.LICENSE.txt"
rm -rf "$out"
mv "$out.tmp" "$out"
