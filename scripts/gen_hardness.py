#!/usr/bin/python3
"""Writes core/sc_hardness_table.c: the hardness card of every preset
(docs/MATH.md section 6).  Reads the presets from a freshly started
build/scoracled (its /v1/info, so the card is computed for exactly the
parameters and budget served) and the attack suite's measured figures
from tests/attacks/measured.json.

Computed here, by quadrature on a grid fine against the narrowest
pancake (step min(sd / 20, 1e-3) over [-12, 12]), for the law p1 along
the secret and its tilt by an angle alpha:
  tv_along_secret          (1/2) int |p1 - phi|
  known_secret_power       >= 1 - BC^n / 2, BC = int sqrt(p1 phi), n the
                           sample budget (the Bayes error of the
                           likelihood-ratio test is at most BC^n / 2)
  unbounded_search_samples min over alpha of
                           (d ln(1 + 2 / alpha) + ln 20) / -ln BC_alpha
Usage: scripts/gen_hardness.py [BUILD]   (run from the repository root)
"""
import json
import math
import os
import pathlib
import shutil
import sys
import tempfile

import numpy as np
from scipy.special import logsumexp
from scipy.stats import binom

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "http"))

from liveserver import start_server  # noqa: E402

OUT = ROOT / "core" / "sc_hardness_table.c"
MEASURED = ROOT / "tests" / "attacks" / "measured.json"

# Where each rung sits, by design; the attack suite checks it.
REGIME = {
    "pancakes-easy": "BRUTE_FORCE", "gmm-easy": "BRUTE_FORCE",
    "owf-8": "BRUTE_FORCE", "owf-24": "BRUTE_FORCE",
    "pancakes-lattice": "LATTICE", "pancakes-frontier": "LATTICE",
    "pancakes-gap": "GAP", "pancakes-hard": "GAP", "gmm-hard": "GAP",
    "owf-32": "GAP",
}


def law_log(z, gamma, sigma, kmax, cos_a):
    """log density of <x, w> at angle alpha from u (cos_a = cos alpha):
    sum_k w_k N(cos_a a k, cos_a^2 v + sin^2 alpha)."""
    a = math.sqrt(2 * math.pi) / (gamma * math.sqrt(1 + sigma * sigma))
    v = sigma * sigma / (1 + sigma * sigma)
    half = int(math.ceil(8 * gamma)) + 2
    k = np.arange(-half, half + 1)
    if kmax >= 0:
        k = k[np.abs(k) <= kmax]
    lw = -math.pi * k * k / gamma**2
    lw -= logsumexp(lw)
    va = cos_a * cos_a * v + 1 - cos_a * cos_a
    out = np.empty(len(z))
    for s in range(0, len(z), 8192):
        zz = z[s:s + 8192, None]
        out[s:s + 8192] = logsumexp(lw - (zz - cos_a * a * k) ** 2
                                    / (2 * va), axis=1)
    return out - 0.5 * math.log(2 * math.pi * va)


def grid(gamma, sigma, cos_a):
    v = sigma * sigma / (1 + sigma * sigma)
    sd = math.sqrt(cos_a * cos_a * v + 1 - cos_a * cos_a)
    h = min(sd / 20, 1e-3)
    return np.arange(-12, 12, h), h


def tv_bc(gamma, sigma, kmax, alpha=0.0):
    z, h = grid(gamma, sigma, math.cos(alpha))
    lp = law_log(z, gamma, sigma, kmax, math.cos(alpha))
    lq = -z * z / 2 - 0.5 * math.log(2 * math.pi)
    tv = 0.5 * np.sum(np.abs(np.exp(lp) - np.exp(lq))) * h
    bc = np.sum(np.exp(0.5 * (lp + lq))) * h
    return float(tv), float(min(bc, 1.0))


def search(gamma, sigma, kmax, d):
    best = (math.inf, math.nan)
    for alpha in np.geomspace(1e-4, 0.5, 60):
        bc = tv_bc(gamma, sigma, kmax, alpha)[1]
        if bc >= 1:
            continue
        log_net = d * math.log1p(2 / alpha)
        n = (log_net + math.log(20)) / -math.log(bc)
        if n < best[0]:
            best = (n, log_net / math.log(2))
    return best


def card(p):
    q, n = p["params"], p["budget"]["samples"]
    c = {"preset": p["name"], "regime": REGIME[p["name"]],
         "dim": q.get("dim", 0), "gamma": q.get("gamma", 0.0),
         "sigma": q.get("sigma", 0.0), "components": q.get("components", 0),
         "seed_bits": q.get("seed_bits", 0),
         "image_bits": q.get("image_bits", 0), "samples": n,
         "tv": "NAN", "power": "NAN", "log10_err": "NAN",
         "search": "NAN", "search_log2": "NAN"}
    if p["family"] == "pancakes":
        kmax = (q["components"] - 1) // 2 if q.get("components") else -1
        tv, bc = tv_bc(q["gamma"], q["sigma"], kmax)
        log10_err = n * math.log10(bc) - math.log10(2)
        ns, log2 = search(q["gamma"], q["sigma"], kmax, q["dim"])
        c.update(tv="%.6g" % tv, power="%.17g" % (1 - 10.0 ** log10_err),
                 log10_err="%.6g" % log10_err, search="%.6g" % math.ceil(ns),
                 search_log2="%.6g" % log2)
    elif p["family"] == "owf":
        # y fixes b = f(x*) and the 2n image bits make the preimage unique
        # but for 2^-n: a search over all 2^n seeds wins every round.
        c.update(power="1", search="0", search_log2="%d" % q["seed_bits"])
    return c


def best_attack(measured, name):
    figs = measured.get("presets", {}).get(name, {})
    figs = {k: v for k, v in figs.items() if k != "known-secret"}
    if not figs:
        return '{NULL, NAN, 0, NAN, NAN, false}'
    k = max(figs, key=lambda a: (figs[a]["win_rate"],
                                 -figs[a]["seconds_per_round"]))
    f = figs[k]
    wins = f.get("wins", 0)
    # Against guessing a seed (2^-n) a binomial p-value at 1/2 means
    # nothing: posterior figures go without one.
    p = "NAN" if f.get("extrapolated") or name.startswith("owf-") else \
        "%.6g" % binom.sf(wins - 1, f["rounds"], 0.5)
    return '{"%s", %.6g, %d, %.6g, %s, %s}' % (
        k, f["win_rate"], f["rounds"], f["seconds_per_round"], p,
        "true" if f.get("extrapolated") else "false")


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    os.environ.setdefault("SCORACLE_BIN", str(ROOT / build / "scoracled"))
    state = tempfile.mkdtemp(prefix="scoracle-gen-")
    srv = start_server(state_dir=state)
    try:
        presets = srv.api.get("/v1/info").json["presets"]
    finally:
        srv.stop()
        shutil.rmtree(state, ignore_errors=True)
    measured = json.loads(MEASURED.read_text()) if MEASURED.exists() else {}
    rows = []
    for p in presets:
        c = card(p)
        rows.append(
            '    {"%(preset)s", SC_REGIME_%(regime)s,\n'
            '     {%(dim)d, %(gamma)r, %(sigma)r, %(components)d, '
            '%(seed_bits)d, %(image_bits)d, %(samples)d},\n'
            '     %(tv)s, %(power)s, %(log10_err)s, %(search)s, '
            '%(search_log2)s,\n' % c
            + '     %s},' % best_attack(measured, p["name"]))
    text = HEADER % (measured.get("measured", ""),
                     measured.get("machine", "")) + "\n".join(rows) + FOOTER
    OUT.write_text(text)
    print("wrote", OUT)


HEADER = """\
/* Generated by scripts/gen_hardness.py from the presets /v1/info serves
 * and tests/attacks/measured.json: do not edit; rerun the script after
 * changing a preset (tests/unit/test_hardness.c checks each card was
 * made for its preset's parameters) or after tests/attacks/bench.py
 * --write. */
#include <math.h>

#include "sc_hardness.h"

const char sc_hardness_measured_on[] = "%s";
const char sc_hardness_machine[] = "%s";

const sc_hardness sc_hardness_cards[] = {
"""

FOOTER = """
};

const size_t sc_hardness_ncards =
    sizeof sc_hardness_cards / sizeof sc_hardness_cards[0];
"""

if __name__ == "__main__":
    main()
