"""1. /samples follows each family's law (docs/MATH.md sections 1, 2, 4) at
t = 0 and t > 0, judged after /reveal against laws computed independently
in reference.py.  Thresholds: stattools.py (ALPHA = 1e-4, Bonferroni)."""
import math

import numpy as np
import pytest
from scipy import linalg, stats

import reference as ref
from stattools import (assert_chisq, assert_ks, assert_mean,
                       assert_mean_scalar, assert_uncorrelated)

# n = 50000: the one-sample KS critical value at 1e-4 is about
# 1.95 / sqrt(n) = 0.0087.  Dropping sqrt(1 + sigma^2) from the pancake
# spacing at sigma = 0.5 moves the k = +-1 pancakes (weight 0.28 each) by
# 0.13 = 0.3 sd, a CDF gap near 0.03: 3.5x the critical value; a thin
# pancake of twice the width gives D ~ 0.24 in the residual test below.
# (Checked by mutation: pancakes 5% too far apart, or 10% too wide, fail.)
N = 50000

PANCAKES = {
    "thick": dict(dim=8, gamma=2.0, sigma=0.5),
    "thin": dict(dim=8, gamma=3.0, sigma=0.02),
    "truncated": dict(dim=6, gamma=4.0, sigma=0.1, components=5),
}


@pytest.mark.parametrize("t", [0.0, 0.3])
@pytest.mark.parametrize("name", sorted(PANCAKES))
def test_pancakes_law(make_instance, name, t):
    spec = PANCAKES[name]
    inst = make_instance(family="pancakes", **spec)
    x = inst.samples(N, t)
    u = np.asarray(inst.secret()["u"])
    assert abs(np.linalg.norm(u) - 1) < 1e-12
    law = ref.PancakeLaw(spec["gamma"], spec["sigma"], t,
                         spec.get("components", 0))
    z = x @ u
    basis = linalg.null_space(u[None, :])  # orthonormal basis of u-perp
    perp = x @ basis
    d = spec["dim"]
    # Five assertions (two more for separated pancakes): ALPHA / 7 each.
    k = 7
    assert_ks(z, law.cdf, k, "<x, u> against the exact mixture CDF")
    assert_ks(perp, stats.norm.cdf, k, "u-perp coordinates against N(0, 1)")
    assert_ks(np.sum(perp ** 2, axis=1), stats.chi2(d - 1).cdf, k,
              "|x_perp|^2 against chi2(d - 1)")
    assert_uncorrelated(z[:, None], perp, k, "<x, u> vs x_perp")
    assert_uncorrelated(perp[:, : (d - 1) // 2], perp[:, (d - 1) // 2:], k,
                        "x_perp coordinates among themselves")
    sd = math.sqrt(law.v)
    if law.spacing / sd > 16:
        # Separated pancakes: the nearest pancake is the drawn one except
        # with probability 2 Phi(-8) ~ 1e-15 per point, so its index counts
        # follow the discrete Gaussian and the offsets N(0, v) exactly.
        kk = np.rint(z / law.spacing).astype(int)
        kmax = int(law.k[-1])
        assert np.all(np.abs(kk) <= kmax)
        counts = np.bincount(kk + kmax, minlength=2 * kmax + 1)
        assert_chisq(counts, np.exp(law.logw), k, "pancake index counts")
        assert_ks((z - law.nearest_mean(z)) / sd, stats.norm.cdf, k,
                  "offsets from the nearest pancake")


def gmm_spec():
    # Well separated (sd 0.14 against means ~ N(0, 36 I)), so that the
    # nearest mean names the component (checked below), unequal weights.
    return dict(family="gmm", dim=3, components=4, spread=6.0,
                variance=0.02, weights=[1.0, 2.0, 3.0, 4.0])


@pytest.mark.parametrize("t", [0.0, 0.3])
def test_gmm_law(make_instance, t):
    spec = gmm_spec()
    inst = make_instance(**spec)
    x = inst.samples(N, t)
    sec = inst.secret()
    weights = np.asarray(sec["weights"])
    np.testing.assert_allclose(weights, np.arange(1, 5) / 10, rtol=1e-15)
    law = ref.GmmLaw(sec["means"], weights, spec["variance"], t)
    rng = np.random.default_rng(1001)
    dirs = list(rng.standard_normal((4, spec["dim"])))
    dirs.append(law.means[0] - law.means[1])
    k = len(dirs) + 3
    for w in dirs:
        assert_ks(x @ w, law.projected_cdf(w), k, "projection on %s" % w)
    assert_mean(x, law.mean(), law.cov(), k, "sample mean")
    assert_mean_scalar(np.sum((x - law.mean()) ** 2, axis=1),
                       np.trace(law.cov()), k, "E|x - mean|^2")
    # Nearest-component counts against the weights.  Misassignment
    # probability per point is at most eps = sum_{i != j} Phi(-|m_i - m_j|
    # / (2 sd)); with n eps < 1e-3 the counts are the true component
    # counts, multinomial(n, weights), but for an event of probability
    # < 1e-3 (at t = 0.3 the components blur and the bound says so).
    sd = math.sqrt(law.v)
    gaps = linalg.norm(law.means[:, None] - law.means[None], axis=2)
    eps = np.sum(stats.norm.sf(gaps[~np.eye(4, dtype=bool)] / (2 * sd)))
    if N * eps < 1e-3:
        nearest = np.argmin(linalg.norm(x[:, None] - law.means[None], axis=2),
                            axis=1)
        assert_chisq(np.bincount(nearest, minlength=4), weights, k,
                     "nearest-component counts")
    else:
        assert t > 0, "the fixed key should give separated means at t = 0"


OWF = dict(family="owf", seed_bits=4, image_bits=6)


def owf_parts(inst, x):
    p = inst.params
    n = p["seed_bits"]
    table = ref.owf_image_table(p)
    seeds = ref.owf_seed_of(x[:, :n])
    return p, n, table, seeds, table[seeds]


@pytest.mark.parametrize("t", [0.0, 1e-4])
def test_owf_orthants_and_phases(make_instance, t):
    """At small noise the orthant of U is the seed x (R e^{-t} is > 200
    component sds) and V_j sits on the coset delta (Z + f(x)_j / 2)
    (delta / 4 is > 7 sds: a misread phase has probability < 1e-12)."""
    inst = make_instance(**OWF)
    x = inst.samples(N, t)
    p, n, table, seeds, b = owf_parts(inst, x)
    sd = ref.owf_noise_sd(p, t)
    e1 = math.exp(-t)
    k = 5
    # Seeds are uniform: 16 cells of 3125 expected.
    assert_chisq(np.bincount(seeds, minlength=2 ** n), np.ones(2 ** n), k,
                 "orthant counts")
    u = x[:, :n]
    assert_ks((u - np.sign(u) * p["radius"] * e1) / sd, stats.norm.cdf, k,
              "seed coordinates about their vertex")
    v = x[:, n:]
    lattice = np.rint(v / (e1 * p["delta"]) - b / 2)
    resid = (v - e1 * p["delta"] * (lattice + b / 2)) / sd
    assert np.max(np.abs(resid)) < 7, "a phase off its coset f(x)"
    assert_ks(resid, stats.norm.cdf, k, "image coordinates about the coset")
    # Lattice points against the discrete Gaussian of their coset.
    for coset in (0, 1):
        a, w = ref.owf_coset(p, coset)
        ks = np.rint(a / p["delta"] - coset / 2).astype(int)
        got = lattice[b == coset].astype(int)
        counts = np.array([np.sum(got == kk) for kk in ks])
        assert counts.sum() == got.size
        assert_chisq(counts, w, k, "lattice points of coset %d" % coset)


def test_owf_marginals_blurred(make_instance):
    """At t = 0.5 the phases blur; each coordinate's marginal law is still
    exact: a two-point mixture for U_i, and for V_j the mixture over
    b_j = f(x)_j (x uniform: P(b_j = 1) from all 16 seeds) of the scaled,
    widened coset lattices.  Orthant counts stay uniform (independent
    sign flips of a uniform seed)."""
    t = 0.5
    inst = make_instance(**OWF)
    x = inst.samples(N, t)
    p, n, table, seeds, _ = owf_parts(inst, x)
    d = x.shape[1]
    k = d + 1
    assert_chisq(np.bincount(seeds, minlength=2 ** n), np.ones(2 ** n), k,
                 "orthant counts")
    for i in range(n):
        assert_ks(x[:, i], ref.owf_seed_cdf(p, t), k, "seed coordinate %d" % i)
    for j in range(p["image_bits"]):
        cdf = ref.owf_image_cdf(p, t, table[:, j].mean())
        assert_ks(x[:, n + j], cdf, k, "image coordinate %d" % j)


@pytest.mark.parametrize("t", [0.0, 0.7])
def test_gaussian_law(make_instance, t):
    inst = make_instance(family="gaussian", dim=5)
    x = inst.samples(N, t)
    k = 4
    assert_ks(x, stats.norm.cdf, k, "coordinates against N(0, 1)")
    assert_ks(np.sum(x ** 2, axis=1), stats.chi2(5).cdf, k, "|x|^2 ~ chi2(5)")
    assert_mean(x, np.zeros(5), np.eye(5), k, "sample mean")
    assert_uncorrelated(x[:, :2], x[:, 2:], k, "coordinates")
