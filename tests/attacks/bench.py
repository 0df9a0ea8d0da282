"""Measures what the hardness cards of /v1/info report as best_attack:
every attack of attacks.py on every preset of a fresh live server, as
`make bench` runs it (bench/attacks.sh).  Prints one line per preset and
attack; with --write also stores the figures, dated, in measured.json,
from which scripts/gen_hardness.py makes core/sc_hardness_table.c.

Usage: bench.py [--rounds R] [--write] [PRESET ...]
"""
import argparse
import datetime
import json
import os
import pathlib
import platform
import shutil
import sys
import tempfile
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import attacks  # noqa: E402
import ladder  # noqa: E402
from liveserver import start_server  # noqa: E402

MEASURED = HERE / "measured.json"
PANCAKES = ["pca", "hermite", "fourier", "lattice-lll", "lattice-bkz20"]
PLAN = {
    "pancakes-easy": PANCAKES,
    "pancakes-lattice": PANCAKES,
    "pancakes-frontier": PANCAKES,
    "pancakes-gap": PANCAKES,
    # BKZ-20 on 192 samples in 64 dimensions takes 20 s to minutes a
    # round here, at chance (docs/MATH.md 6.4): left to a longer run.
    "pancakes-hard": PANCAKES[:-1],
    "gmm-hard": PANCAKES,
    "gmm-easy": ["pca", "hermite"],
}
# owf: brute force played in full up to this many seed bits, and beyond
# it extrapolated from the hash rate over HASHES seeds.
OWF_FULL_BITS = 24
OWF_FULL_ROUNDS = {8: 10, 24: 2}
HASHES = 1 << 20


def row(preset, name, s, note=""):
    print("%-18s %-14s %3d/%-3d right, win rate %.2f  %9.3f s/round %s"
          % (preset, name, s.wins, s.rounds, s.win_rate,
             s.seconds_per_round, note), flush=True)
    return {"win_rate": round(float(s.win_rate), 4), "wins": int(s.wins),
            "rounds": int(s.rounds),
            "seconds_per_round": float("%.4g" % s.seconds_per_round)}


def bench_distinguish(api, preset, rounds):
    out = ladder.play_distinguish(api, preset, PLAN[preset], rounds, seed=7)
    return {name: row(preset, name, s) for name, s in out.scores.items()
            if s.rounds}


def bench_owf(api, preset):
    info = ladder.preset_info(api, preset)
    bits = info["params"]["seed_bits"]
    if bits <= OWF_FULL_BITS:
        out = ladder.play_posterior(api, preset, OWF_FULL_ROUNDS.get(bits, 2))
        return {"brute-force": row(preset, "brute-force",
                                   out.scores["brute-force"])}
    params = dict(info["params"], f_key="00" * 32)
    t0 = time.perf_counter()
    attacks.owf_brute_force(np.full(params["image_bits"], 0.1), params,
                            limit=HASHES)
    rate = HASHES / (time.perf_counter() - t0)
    s = ladder.Score(wins=1, rounds=1, seconds=2.0 ** (bits - 1) / rate,
                     planted_rounds=1, planted_found=1)
    r = row(preset, "brute-force", s,
            "(extrapolated: %.3g seeds/s, half of 2^%d)" % (rate, bits))
    r.update(rounds=0, extrapolated=True)
    return {"brute-force": r}


def print_card(p):
    """The card /v1/info serves now, beside which the fresh figures
    print (its best_attack is what the last --write stored)."""
    h = p.get("hardness") or {}
    b = h.get("best_attack") or {}
    print("%-18s card: %s, tv %s, known-secret power %s, search %s samples;"
          " stored best %s %s (%s)" % (
              p["name"], h.get("regime"), h.get("tv_along_secret"),
              h.get("known_secret_power"),
              h.get("unbounded_search_samples"), b.get("name"),
              b.get("win_rate"), b.get("measured")), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("presets", nargs="*")
    args = ap.parse_args()
    state = tempfile.mkdtemp(prefix="scoracle-bench-")
    srv = start_server(state_dir=state)
    results = {}
    load = os.getloadavg()[0]
    try:
        info = {p["name"]: p for p in srv.api.get("/v1/info").json["presets"]}
        names = args.presets or list(info)
        for name in names:
            print_card(info[name])
            if name in PLAN:
                results[name] = bench_distinguish(srv.api, name, args.rounds)
            elif name.startswith("owf-"):
                results[name] = bench_owf(srv.api, name)
            if args.write:
                write(results, load)
    finally:
        srv.stop()
        shutil.rmtree(state, ignore_errors=True)


def write(results, load):
    """Merges results into measured.json (after every preset, so that an
    interrupted run keeps what it measured)."""
    old = json.loads(MEASURED.read_text()) if MEASURED.exists() else {}
    presets = old.get("presets", {})
    presets.update(results)
    MEASURED.write_text(json.dumps({
        "measured": datetime.date.today().isoformat(),
        "machine": "%s %s, %d cores, load %.0f" % (
            platform.machine(), platform.system(), os.cpu_count(), load),
        "command": "tests/attacks/bench.py --write (make bench prints)",
        "presets": presets}, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
