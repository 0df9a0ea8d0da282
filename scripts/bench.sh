#!/usr/bin/env bash
# `make bench`: prints figures; never fails on a number.
# Runs every bench/bench_* binary, then bench/*.sh scripts.
set -u
build=${1:-build}
export SCORACLE_BIN="$PWD/$build/scoracled" SCORACLE_BUILD="$PWD/$build"
export OPENBLAS_NUM_THREADS=1
for b in "$build"/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b"
done
for s in bench/*.sh; do
  [ -x "$s" ] || continue
  echo "== $(basename "$s")"
  "$s" "$build"
done
