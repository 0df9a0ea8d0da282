#!/usr/bin/env bash
# The web arena in a browser: first page interactive, scatter redraw
# (clients/web/bench/arena.mjs).  Needs clients/web's npm packages.
set -u
[ -d clients/web/node_modules/playwright-core ] ||
  (cd clients/web && npm ci --no-audit --no-fund >/dev/null) || exit 0
timeout 300 node clients/web/bench/arena.mjs
