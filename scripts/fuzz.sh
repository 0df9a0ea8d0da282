#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time on its seed corpus.
# Usage: scripts/fuzz.sh BUILD SECONDS
set -eu
build=${1:-build}
secs=${2:-10}
status=0
for f in "$build"/fuzz/fuzz_*; do
  [ -x "$f" ] || continue
  name=$(basename "$f")
  seeds="tests/fuzz/corpus/${name#fuzz_}"
  work="$build/fuzz/corpus-${name#fuzz_}"
  mkdir -p "$work"
  echo "fuzz: $name for ${secs}s"
  if ! "$f" -max_total_time="$secs" -print_final_stats=0 "$work" \
      $( [ -d "$seeds" ] && echo "$seeds" ) 2>"$build/fuzz/$name.log"; then
    echo "fuzz: $name found a crash:"; tail -n 40 "$build/fuzz/$name.log"
    status=1
  fi
done
exit $status
