"""Posterior sampling by rejection (Gupta et al. 2024) against brute force.

An owf instance (docs/MATH.md section 4) hides, behind easy samples and
scores, a one-way function f: a sample X = (U, V) carries a seed x in the
orthants of U and the bits f(x) in the phases of V.  Given a measurement
y = V* + N(0, s_y^2 I) of a hidden sample, a posterior sample must invert
f: f(1[U > 0]) = b_hat(y).

Rejection sampling is exact: draw X ~ P from /samples, accept with
probability exp(-|y - V|^2 / (2 s_y^2)).  Its expected number of proposals
is (2 pi s_y^2)^{-m/2} / p(y), exponential in the number m of measured
bits.  Brute-force inversion of the same instances enumerates the 2^n
seeds instead, whatever m is.  The example prints both as m grows.
"""

import math

import numpy as np

import _common
import _owf
from scoracle import inverts

SEED_BITS = 8
TAU = 1.2


def rejection(c, inst, y, cap, batch, rng):
    """Draws proposals until cap; answers (proposals, accepted rows,
    mean acceptance probability)."""
    f_key, n, m, delta, s_y = _owf.params(inst)
    proposals, accepted, acc_sum = 0, [], 0.0
    while proposals < cap and len(accepted) < 20:
        x = c.samples(inst["id"], min(batch, cap - proposals))
        prob = np.exp(-np.sum((y - x[:, n:]) ** 2, axis=1) / (2 * s_y ** 2))
        acc_sum += prob.sum()
        accepted += list(x[rng.random(len(x)) < prob])
        proposals += len(x)
    return proposals, accepted, acc_sum / proposals


def run_m(c, m, targets, cap, batch, rng):
    inst = c.create_instance("owf", seed_bits=SEED_BITS, image_bits=m,
                             tau=TAU)
    f_key, n, _, delta, s_y = _owf.params(inst)
    ys = _owf.measure(c, inst, targets, rng)
    out = {"m": m, "proposals": 0, "accepted": 0, "inverting": 0,
           "acceptance": [], "brute_evals": [], "preimages": []}
    for y in ys:
        proposals, acc, mean_acc = rejection(c, inst, y, cap, batch, rng)
        out["proposals"] += proposals
        out["accepted"] += len(acc)
        out["inverting"] += sum(inverts(f_key, n, m, delta, y, sample=a)
                                for a in acc)
        out["acceptance"].append(mean_acc)
        found, first = _owf.preimages(inst, y)
        out["brute_evals"].append(first)
        out["preimages"].append(len(found))
    mean_acc = float(np.mean(out["acceptance"]))
    out["expected_proposals"] = 1 / mean_acc if mean_acc > 0 else math.inf
    out["brute_ok"] = all(e is not None for e in out["brute_evals"])
    return out


def main():
    args = _common.parser(__doc__).parse_args()
    c = _common.connect(args, "rejection")
    rng = np.random.default_rng(args.seed)
    if args.quick:
        ms, targets, cap, batch = (1, 2, 3), 3, 300000, 100000
    else:
        ms, targets, cap, batch = (1, 2, 3), 4, 2000000, 200000
    print("owf instances: %d seed bits, m measured image bits, tau = %g, "
          "s_y = 0.01; %d hidden targets per m" % (SEED_BITS, TAU, targets))
    rows = [run_m(c, m, targets, cap, batch, rng) for m in ms]
    _common.table(
        ["m", "proposals per sample", "accepted", "accepted invert f",
         "brute force evals", "preimages"],
        [(r["m"], "%.3g" % r["expected_proposals"], r["accepted"],
          "%d/%d" % (r["inverting"], r["accepted"]),
          "%.0f" % np.mean(r["brute_evals"]), "%.1f" % np.mean(
              r["preimages"])) for r in rows],
        ["%d", "%s", "%d", "%s", "%s", "%s"])
    growth = [b["expected_proposals"] / a["expected_proposals"]
              for a, b in zip(rows, rows[1:])]
    print("proposals grow by a factor %s per measured bit: exponential in m"
          % ", ".join("%.1f" % g for g in growth))
    print("brute force needs at most 2^%d = %d evaluations of f for every m "
          "and always finds a preimage" % (SEED_BITS, 2 ** SEED_BITS))
    print("every accepted proposal is an exact posterior sample: %d/%d "
          "invert f" % (sum(r["inverting"] for r in rows),
                        sum(r["accepted"] for r in rows)))
    plot(args, rows)
    _common.write_json(args, {"rows": rows, "growth": growth,
                              "seed_bits": SEED_BITS})


def plot(args, rows):
    plt = _common.pyplot()
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ms = [r["m"] for r in rows]
    ax.semilogy(ms, [r["expected_proposals"] for r in rows], "o-",
                label="rejection: proposals per sample")
    ax.semilogy(ms, [np.mean(r["brute_evals"]) for r in rows], "s-",
                label="brute force: f evaluations")
    ax.set_xlabel("measured bits m")
    ax.legend()
    _common.save_figure(fig, args, "rejection.png")


if __name__ == "__main__":
    main()
