#!/usr/bin/env bash
# Pancakes score and logpdf: C (bench_pancakes) next to numpy
# (pancakes_ref.py) and the memcpy bound, single thread.  Prints figures
# and ratios; never fails on a number.
# Usage: bench/pancakes.sh [BUILD]
set -u
build=${1:-build}
py=${PY:-/usr/bin/python3}
export OPENBLAS_NUM_THREADS=1
here=$(dirname "$0")
c_out=$("$build/bench/bench_pancakes") || { echo "bench_pancakes failed"; exit 0; }
np_out=$("$py" "$here/pancakes_ref.py") || { echo "pancakes_ref.py failed"; exit 0; }
printf '%s\n%s\n' "$c_out" "$np_out" | grep -v '^BENCH'
printf '%s\n%s\n' "$c_out" "$np_out" | awk '
  $1 == "BENCH" { v[$2] = $3 }
  END {
    n = split("direct dual", s, " ")
    for (i = 1; i <= n; i++) {
      k = s[i]
      printf "pancakes %s: score numpy/C %.2fx (target >= 4), " \
             "C/copy %.2fx (target <= 1.5); logpdf numpy/C %.2fx\n", k,
             v["numpy_pancakes_score_" k "_ms"] / v["pancakes_score_" k "_ms"],
             v["pancakes_score_" k "_ms"] / v["copy_ms"],
             v["numpy_pancakes_logpdf_" k "_ms"] / v["pancakes_logpdf_" k "_ms"]
    }
  }'
