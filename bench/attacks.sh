#!/usr/bin/env bash
# The attack suite's figures behind the hardness cards' best_attack: every
# attack on every preset of a fresh server (tests/attacks/bench.py).  It
# prints; `tests/attacks/bench.py --write` then scripts/gen_hardness.py
# store them in the cards.  SCORACLE_BENCH_ROUNDS sets the rounds (20).
set -u
build=${1:-build}
export SCORACLE_BIN="$PWD/$build/scoracled"
exec "${PY:-/usr/bin/python3}" tests/attacks/bench.py \
  --rounds "${SCORACLE_BENCH_ROUNDS:-20}"
