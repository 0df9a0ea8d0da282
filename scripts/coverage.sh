#!/usr/bin/env bash
# Line and branch coverage of core/, proto/ and server/ under the suite of
# `make test` (style, unit tests, HTTP, stat and client tests against a
# live server; no fuzzing): an unoptimised --coverage build in BUILD
# (default build-cov), then gcovr's summary, and an HTML report in
# BUILD/coverage/index.html.  Usage: scripts/coverage.sh [BUILD]
set -euo pipefail
build=${1:-build-cov}

make --no-print-directory BUILD="$build" OPT=-O0 COVERAGE=1 all
find "$build" -name '*.gcda' -delete
# Servers the tests start write their counts when they exit cleanly.
SCORACLE_NO_FUZZ=1 ./scripts/test.sh "$build" || {
  echo "coverage: the suite failed; the figure below counts what ran" >&2
  status=1
}
mkdir -p "$build/coverage"
gcovr --root . --object-directory "$build/obj" \
  --filter 'core/' --filter 'proto/' --filter 'server/' \
  --print-summary --html-details "$build/coverage/index.html" \
  | tee "$build/coverage/summary.txt"
exit "${status:-0}"
