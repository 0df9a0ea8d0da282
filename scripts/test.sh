#!/usr/bin/env bash
# Runs the test suites of `make test` and says how each went.
# Usage: scripts/test.sh BUILD [all|unit|http|valgrind]
# Each runner prints its own summary (cmocka, pytest, node --test); the
# last line counts suites.
set -u
build=${1:-build}
mode=${2:-all}
py=${PY:-/usr/bin/python3}
export SCORACLE_BIN="$PWD/$build/scoracled"
export SCORACLE_BUILD="$PWD/$build"
export SCORACLE_CONTRACT="${SCORACLE_CONTRACT:-$PWD}"
export OPENBLAS_NUM_THREADS=1

passed=0
failed=0
failures=()

suite() {
  local name=$1; shift
  echo "== $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

unit() {
  local wrap=("$@") b
  for b in "$build"/tests/test_*; do
    [ -x "$b" ] || continue
    suite "$(basename "$b")" "${wrap[@]}" "$b"
  done
}

# A private PostgreSQL cluster (scripts/pgcluster.sh) for the store's
# suites on PostgreSQL, the replica tests and the second HTTP pass; a
# cluster that cannot start fails its suite, loudly.
pgdir=""
pg_start() {
  [ -n "${SCORACLE_TEST_PG:-}" ] && return 0
  pgdir=$(mktemp -d "${TMPDIR:-/tmp}/scoracle-pg.XXXXXX")
  trap 'scripts/pgcluster.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
  SCORACLE_TEST_PG=$(scripts/pgcluster.sh start "$pgdir") || return 1
  export SCORACLE_TEST_PG
}

# One pytest run per folder: each folder has its own conftest.py, and
# two of them in one run would shadow each other.  tests/http runs a
# second time with every server on PostgreSQL.
pytests() {
  local d
  for d in tests/http tests/stat tests/attacks clients/python/tests; do
    compgen -G "$d/test_*.py" >/dev/null || continue
    suite "pytest $d" "$py" -m pytest -q -p no:cacheprovider "$d"
  done
  suite "pytest tests/http on postgresql" env SCORACLE_HTTP_STORE=pg \
    "$py" -m pytest -q -p no:cacheprovider tests/http
}

# The browser test needs playwright-core (clients/js's devDependency,
# driving Debian's chromium): installed from the lockfile when missing.
jsdeps() {
  [ -d clients/js/node_modules ] && return 0
  local out
  out=$(cd clients/js && npm ci --no-audit --no-fund 2>&1) || { echo "$out" >&2; return 1; }
}

# The web arena's tests (clients/web: playwright-core, pixelmatch and
# pngjs from its lockfile) drive the tree make built beside the daemon.
webdeps() {
  [ -d clients/web/node_modules/pixelmatch ] && return 0
  local out
  out=$(cd clients/web && npm ci --no-audit --no-fund 2>&1) || { echo "$out" >&2; return 1; }
}

jstests() {
  compgen -G "clients/js/test/*.test.mjs" >/dev/null || return 0
  suite npm-ci jsdeps
  suite node-test node --test clients/js/test/
  compgen -G "clients/web/test/*.test.mjs" >/dev/null || return 0
  suite npm-ci-web webdeps
  suite web-test node --test clients/web/test/
}

case "$mode" in
  unit|http|valgrind|all) suite postgresql pg_start ;;
esac

case "$mode" in
  unit) unit ;;
  http) pytests; jstests ;;
  valgrind)
    unit valgrind -q --error-exitcode=99 --leak-check=full \
      --errors-for-leak-kinds=definite,indirect ;;
  all)
    suite style scripts/style.sh
    suite vectors "$py" scripts/gen_vectors.py --check
    unit
    pytests
    jstests
    if [ -z "${SCORACLE_NO_FUZZ:-}" ]; then
      suite fuzz-smoke make --no-print-directory fuzz-smoke BUILD="$build"
    fi ;;
  *) echo "test.sh: unknown mode $mode" >&2; exit 2 ;;
esac

[ ${#failures[@]} -eq 0 ] || echo "failed suites: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
