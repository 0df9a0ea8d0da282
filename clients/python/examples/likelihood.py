"""The likelihood identity of Chewi et al. 2025 (Lemma 1): log-densities
from a score oracle alone.

For any x0 (docs/MATH.md section 3),

    -log P(x0) = v(x0) + d (T + 1/2 log(2 pi e (1 - e^{-2T}))) + KL,
    v(x0) = int_0^T E[ |s_t(x)|^2 + 2 div s_t(x) ] dt,
    x = e^{-t} x0 + sqrt(1 - e^{-2t}) z,

with KL <= (|x0|^2 + E|x|^2) / (e^{2T} - 1), negligible at T = 8.  The
divergence comes from the same calls by Gaussian integration by parts:
E[div s(x)] = E[<s(x), z>] / sqrt(1 - e^{-2t}).  This example integrates
over t by Gauss-Legendre quadrature in log t on [tau, T] and over z by
Monte Carlo with antithetic pairs (z, -z), using only /score; then it
subtracts the same estimator for N(0, I) (score -x, known expectation) as
a control variate, which removes the noise of the nearly Gaussian large-t
part.  It compares the result with the server's /logpdf and prints the
error as the number of score calls per point grows.
"""

import math

import numpy as np

import _common

DIM = 4
GAMMA = 3.0
SIGMA = 0.2
T_END = 8.0
TAU = 1e-4
NODES = 32


def integrate(c, inst_id, x0, pairs, rng):
    """-log P(x0) for every row of x0 from 2 * pairs * NODES score calls
    per point (one request per quadrature node)."""
    n, d = x0.shape
    g, gw = np.polynomial.legendre.leggauss(NODES)
    lo, hi = math.log(TAU), math.log(T_END)
    logt = 0.5 * (hi - lo) * g + 0.5 * (hi + lo)
    weights = 0.5 * (hi - lo) * gw * np.exp(logt)  # dt = t d(log t)
    v = np.zeros(n)
    for t, w in zip(np.exp(logt), weights):
        sd = math.sqrt(-math.expm1(-2 * t))
        z = rng.standard_normal((n, pairs, d))
        centre = math.exp(-t) * x0[:, None, :]
        pts = np.concatenate([centre + sd * z, centre - sd * z], axis=1)
        s = c.score(inst_id, pts.reshape(-1, d), t=t).reshape(n, 2 * pairs,
                                                              d)
        sp, sm = s[:, :pairs], s[:, pairs:]
        term = 0.5 * ((sp ** 2).sum(-1) + (sm ** 2).sum(-1)) \
            + ((sp - sm) * z).sum(-1) / sd
        # Control variate: the same estimator for N(0, I), whose score -x
        # needs no call and whose expectation is known exactly.
        sq = math.exp(-2 * t) * (x0 ** 2).sum(-1)
        gauss = sq[:, None] + sd ** 2 * (z ** 2).sum(-1) \
            - 2 * (z ** 2).sum(-1)
        gauss_mean = sq + d * sd ** 2 - 2 * d
        v += w * ((term - gauss).mean(axis=1) + gauss_mean)
    const = d * (T_END + 0.5 * math.log(
        2 * math.pi * math.e * -math.expm1(-2 * T_END)))
    return -(v + const)


def main():
    args = _common.parser(__doc__).parse_args()
    c = _common.connect(args, "likelihood")
    rng = np.random.default_rng(args.seed)
    if args.quick:
        npoints, pair_counts = 4, (1, 8, 64, 256)
    else:
        npoints, pair_counts = 8, (1, 4, 16, 64, 256)
    inst = c.create_instance("pancakes", dim=DIM, gamma=GAMMA, sigma=SIGMA)
    x0 = c.samples(inst["id"], npoints)
    exact = c.logpdf(inst["id"], x0)
    kl_bound = float(np.max((np.sum(x0 ** 2, axis=1) + DIM)
                            / math.expm1(2 * T_END)))
    print("pancakes d = %d, gamma = %g, sigma = %g; log P at %d sample "
          "points from /score only, T = %g, tau = %g, %d nodes in log t"
          % (DIM, GAMMA, SIGMA, npoints, T_END, TAU, NODES))
    print("KL term neglected: at most %.1e" % kl_bound)
    rows = []
    for pairs in pair_counts:
        est = integrate(c, inst["id"], x0, pairs, rng)
        err = np.abs(est - exact)
        rows.append({"calls": 2 * pairs * NODES, "pairs": pairs,
                     "mean_abs_error": float(err.mean()),
                     "max_abs_error": float(err.max()),
                     "estimates": est.tolist()})
    _common.table(["score calls per point", "mean |error|", "max |error|"],
                  [(r["calls"], r["mean_abs_error"], r["max_abs_error"])
                   for r in rows], ["%d", "%.4f", "%.4f"])
    print("server /logpdf at the points: %s"
          % ", ".join("%.4f" % v for v in exact))
    print("from the scores (%d calls each): %s"
          % (rows[-1]["calls"],
             ", ".join("%.4f" % v for v in rows[-1]["estimates"])))
    print("the error falls from %.3f to %.3f as the calls grow %dx: /score "
          "and /logpdf agree" % (rows[0]["mean_abs_error"],
                                 rows[-1]["mean_abs_error"],
                                 rows[-1]["calls"] // rows[0]["calls"]))
    plot(args, rows)
    _common.write_json(args, {"logpdf": exact.tolist(), "kl_bound": kl_bound,
                              "rows": rows})


def plot(args, rows):
    plt = _common.pyplot()
    fig, ax = plt.subplots(figsize=(5, 3.5))
    calls = [r["calls"] for r in rows]
    ax.loglog(calls, [r["mean_abs_error"] for r in rows], "o-",
              label="mean |log p_hat - log p|")
    ref = rows[0]["mean_abs_error"] * np.sqrt(calls[0] / np.asarray(calls))
    ax.loglog(calls, ref, "k--", lw=1, label="1 / sqrt(calls)")
    ax.set_xlabel("score calls per point")
    ax.legend()
    _common.save_figure(fig, args, "likelihood.png")


if __name__ == "__main__":
    main()
