"""3. /score and /logpdf agree with each other, through the API alone.

(a) Finite differences: the 5-point central difference of /logpdf with
step h = 1e-3 L (L the smallest component width at t) has truncation error
about h^4 |f^(5)| / 30 ~ 1e-13 |score| and rounding error about
eps |log p| / h; the tolerance 1e-6 (|score| + 1 / L) sits far above both
and far below any real disagreement (a wrong sign, factor or time).

(b) The likelihood identity of MATH.md section 3: v(x0) estimated from
/score by Monte Carlo, plus d (T + log(2 pi e (1 - e^{-2T})) / 2), is
-log P(x0) up to a KL term in [0, (|x0|^2 + E|x|^2) / (e^{2T} - 1)].
"""
import math

import numpy as np
import pytest

import reference as ref
from stattools import z_crit


def fd_gradient(inst, x, t, h):
    """5-point central differences of /logpdf along every axis, in one
    request of 4 d n points."""
    n, d = x.shape
    offsets = np.array([2.0, 1.0, -1.0, -2.0]) * h
    pts = (x[:, None, None, :]
           + offsets[None, :, None, None] * np.eye(d)[None, None, :, :])
    lp = inst.logpdf(pts.reshape(-1, d), t).reshape(n, 4, d)
    return (-lp[:, 0] + 8 * lp[:, 1] - 8 * lp[:, 2] + lp[:, 3]) / (12 * h)


def width(spec, t):
    """The smallest component standard deviation at time t (public)."""
    e2 = math.exp(-2 * t)
    fam = spec["family"]
    if fam == "pancakes":
        return math.sqrt(1 - e2 / (1 + spec["sigma"] ** 2))
    if fam == "gmm":
        return math.sqrt(e2 * spec["variance"] + 1 - e2)
    if fam == "owf":
        return math.sqrt(e2 * 0.01 ** 2 + 1 - e2)  # s0 default 0.01
    return 1.0


FD_CASES = {
    "gaussian": dict(family="gaussian", dim=4),
    "pancakes": dict(family="pancakes", dim=5, gamma=3.0, sigma=0.05),
    "pancakes-truncated": dict(family="pancakes", dim=4, gamma=4.0,
                               sigma=0.2, components=3),
    "gmm": dict(family="gmm", dim=4, components=3, spread=2.0,
                variance=0.5),
    "owf": dict(family="owf", seed_bits=3, image_bits=3),
}


@pytest.mark.parametrize("t", [0.0, 0.2])
@pytest.mark.parametrize("name", sorted(FD_CASES))
def test_score_is_gradient_of_logpdf(make_instance, name, t):
    spec = FD_CASES[name]
    inst = make_instance(**spec)
    # Typical points (the owf score is held to its accuracy there, and
    # thin pancakes are smooth on the step's scale there), plus spread-out
    # points where P_t is smooth enough on the step's scale (t > 0 or
    # thick components).
    x = inst.samples(24, t)
    rng = np.random.default_rng(3003)
    L = width(spec, t)
    if L > 0.3:
        x = np.vstack([x, 1.5 * rng.standard_normal((16, inst.dim))])
    s = inst.score(x, t)
    g = fd_gradient(inst, x, t, 1e-3 * L)
    tol = 1e-6 * (np.max(np.abs(s), axis=1, keepdims=True) + 1 / L)
    bad = np.abs(g - s) > tol
    assert not bad.any(), "score vs d logpdf: worst %.3g (tol %.3g)" % (
        np.max(np.abs(g - s)), np.min(tol))


# --- (b) the likelihood identity -------------------------------------------

T = 6.0
# Gauss-Legendre nodes per piece of [0, T]: the integrand is analytic in t
# with scales no finer than the components' (variance >= 0.2 here), so 16
# nodes per piece leave a quadrature error far below the Monte Carlo one.
PIECES = [(0.0, 0.25), (0.25, 1.0), (1.0, 2.5), (2.5, T)]
NODES = 16
PAIRS = 8000  # per node


def time_nodes():
    y, w = np.polynomial.legendre.leggauss(NODES)
    ts, ws = [], []
    for a, b in PIECES:
        ts.extend((b - a) / 2 * y + (a + b) / 2)
        ws.extend((b - a) / 2 * w)
    return np.array(ts), np.array(ws)


def v_hat(inst, x0, rng):
    """v(x0) of MATH.md section 3: the time integral by Gauss-Legendre (the
    score oracle takes one t per request), the expectation over z by
    Monte Carlo with two variance reductions that keep it unbiased:
    - antithetic pairs x+- = e^{-t} x0 +- sigma_t z (sigma_t^2 = 1 - e^{-2t}),
      each pair's term 1/2 (|s+|^2 + |s-|^2) + <s+ - s-, z> / sigma_t,
      whose mean is the integrand's (Stein: E <s(x), z> = sigma_t E div s,
      and z, -z have one law) and whose variance stays bounded as t -> 0;
    - the N(0, I) integrand as control variate: for s(x) = -x the pair term
      is g = e^{-2t} |x0|^2 + (sigma_t^2 - 2) |z|^2, of exact integral
      G = |x0|^2 (1 - e^{-2T}) / 2 - d (T + (1 - e^{-2T}) / 2); we
      estimate int (h - g) + G, and h - g -> 0 as P_t -> N(0, I).
    Answers (estimate, Monte Carlo standard error)."""
    d = x0.size
    est, var = 0.0, 0.0
    for t, w in zip(*time_nodes()):
        z = rng.standard_normal((PAIRS, d))
        sig = math.sqrt(-math.expm1(-2 * t))
        a = math.exp(-t) * x0
        s = inst.score(np.vstack([a + sig * z, a - sig * z]), t)
        sp, sm = s[:PAIRS], s[PAIRS:]
        h = (0.5 * (np.sum(sp ** 2, axis=1) + np.sum(sm ** 2, axis=1))
             + np.sum((sp - sm) * z, axis=1) / sig)
        g = math.exp(-2 * t) * (x0 @ x0) + (sig ** 2 - 2) * np.sum(z ** 2,
                                                                   axis=1)
        est += w * np.mean(h - g)
        var += w ** 2 * np.var(h - g, ddof=1) / PAIRS
    e2T = math.exp(-2 * T)
    G = (x0 @ x0) * (1 - e2T) / 2 - d * (T + (1 - e2T) / 2)
    return est + G, math.sqrt(var)


LIK_CASES = {
    "gaussian": dict(family="gaussian", dim=2),
    "pancakes": dict(family="pancakes", dim=2, gamma=2.0, sigma=0.5),
    "gmm": dict(family="gmm", dim=2, components=3, spread=2.0,
                variance=0.5),
}


def second_moment(spec, inst):
    """E_P |x|^2 at t = 0 (gmm from the revealed means)."""
    if spec["family"] == "pancakes":
        law = ref.PancakeLaw(spec["gamma"], spec["sigma"])
        return spec["dim"] - 1 + law.second_moment()
    if spec["family"] == "gmm":
        sec = inst.secret()
        return ref.GmmLaw(sec["means"], sec["weights"],
                          spec["variance"]).second_moment()
    return float(spec["dim"])


@pytest.mark.parametrize("name", sorted(LIK_CASES))
def test_likelihood_identity_brackets_logpdf(make_instance, name):
    spec = LIK_CASES[name]
    inst = make_instance(**spec)
    d = spec["dim"]
    rng = np.random.default_rng(4004)
    x0s = np.vstack([inst.samples(2, 0.0), [[0.3, -1.7]]])
    lp = inst.logpdf(x0s, 0.0)
    const = d * (T + 0.5 * math.log(2 * math.pi * math.e
                                    * -math.expm1(-2 * T)))
    m2 = second_moment(spec, inst)
    zc = z_crit(len(x0s))
    for x0, logp in zip(x0s, lp):
        v, se = v_hat(inst, x0, rng)
        kl_max = (x0 @ x0 + m2) / math.expm1(2 * T)
        # 1e-9: rounding slack for the N(0, I) case, where se is ~1e-17.
        slack = zc * se + 1e-9
        lo, hi = v + const - slack, v + const + kl_max + slack
        assert lo <= -logp <= hi, (
            "%s x0 = %s: -log p = %.6f outside [%.6f, %.6f] (se %.2g)"
            % (name, x0, -logp, lo, hi, se))
        # The bracket is narrow (at most 0.15 nats; about 0.02 at typical
        # points), so the check has teeth.
        assert hi - lo < 0.15
