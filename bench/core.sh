#!/usr/bin/env bash
# Core throughput next to numpy and to the BLAS bound, with ratios.
# Usage: bench/core.sh [BUILD].  Prints figures; never fails on a number.
# To add a figure: print "name value unit" from a bench binary, add
# bench_<name> to bench/numpy_ref.py, and a `compare` line below.
set -u
build=${1:-build}
py=${PY:-/usr/bin/python3}
here=$(cd "$(dirname "$0")" && pwd)
export OPENBLAS_NUM_THREADS=1

c=$("$build/bench/bench_core" 2>&1) || echo "bench_core failed"
np=$("$py" "$here/numpy_ref.py" normals gmm_score gmm_logpdf \
  gmm_score_blur 2>&1) ||
  echo "numpy_ref.py failed"

echo "-- C"
echo "$c"
echo "-- numpy"
echo "$np"

# figure TEXT NAME: the value on NAME's line.
figure() { awk -v k="$2" '$1 == k { print $2 }' <<<"$1"; }

# compare LABEL A B TARGET: prints A / B.
compare() {
  awk -v l="$1" -v a="$2" -v b="$3" -v t="$4" 'BEGIN {
    if (a > 0 && b > 0) printf "%-34s %6.2fx  (target %s)\n", l, a / b, t
    else printf "%-34s    n/a\n", l }'
}

echo "-- ratios"
compare "normals C / numpy" "$(figure "$c" normals)" \
  "$(figure "$np" normals)" ">= 1.5"
compare "gmm score C / numpy" "$(figure "$c" gmm_score)" \
  "$(figure "$np" gmm_score)" ">= 1.5"
compare "gmm logpdf C / numpy" "$(figure "$c" gmm_logpdf)" \
  "$(figure "$np" gmm_logpdf)" "-"
compare "gmm score t=3 C / numpy" "$(figure "$c" gmm_score_blur)" \
  "$(figure "$np" gmm_score_blur)" ">= 1.5"
compare "gmm score dgemm bound / C" "$(figure "$c" gmm_bound_score)" \
  "$(figure "$c" gmm_score)" "<= 1.5"
compare "gmm score t=3 dgemm bound / C" "$(figure "$c" gmm_bound_score)" \
  "$(figure "$c" gmm_score_blur)" "<= 1.5"
compare "gmm logpdf dgemm bound / C" "$(figure "$c" gmm_bound_logpdf)" \
  "$(figure "$c" gmm_logpdf)" "-"
exit 0
