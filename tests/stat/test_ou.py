"""2. OU consistency through the server (docs/MATH.md section 0): samples
drawn at time t and samples drawn at 0 pushed through
X_t = e^{-t} X_0 + sqrt(1 - e^{-2t}) Z (Z drawn here, fixed seed) have one
law.  Two-sample KS on projections at ALPHA / (number of projections).

n = 20000 a side: the two-sample critical value at 1e-4 is about
1.95 sqrt(2 / n) = 0.0195.  A sampler that scales the means by e^{-2t}
instead of e^{-t} shifts the thick pancakes' k = +-1 bumps (weight 0.28
each, 1.12 from 0) by 0.27 at t = 0.5, a third of their width there: a
CDF gap of several hundredths; projections on u (and on mean differences
for gmm) are where such a bug shows most.  (Checked by mutation: a gmm
sampler with e^{-2t} for e^{-t} fails at both times.)
"""
import math

import numpy as np
import pytest

from stattools import assert_ks2

N = 20000

CASES = {
    "pancakes-thick": dict(family="pancakes", dim=6, gamma=2.0, sigma=0.5),
    "pancakes-thin": dict(family="pancakes", dim=6, gamma=3.0, sigma=0.02),
    "gmm": dict(family="gmm", dim=4, components=3, spread=3.0,
                variance=0.3, weights=[1.0, 1.0, 2.0]),
    "owf": dict(family="owf", seed_bits=3, image_bits=3),
    "gaussian": dict(family="gaussian", dim=4),
}


def secret_directions(family, inst):
    """Directions where the planted structure lives (after reveal)."""
    if family == "pancakes":
        return [np.asarray(inst.secret()["u"])]
    if family == "gmm":
        m = np.asarray(inst.secret()["means"])
        return [m[0] - m[1], m[2] - m[0]]
    if family == "owf":
        e = np.eye(inst.dim)
        n = inst.params["seed_bits"]
        return [e[0], e[n], e[n + 1]]
    return []


@pytest.mark.parametrize("t", [0.05, 0.5])
@pytest.mark.parametrize("name", sorted(CASES))
def test_samples_at_t_are_pushed_samples_at_0(make_instance, name, t):
    spec = CASES[name]
    inst = make_instance(**spec)
    x0 = inst.samples(N, 0.0)
    xt = inst.samples(N, t)
    rng = np.random.default_rng(2002 + int(1000 * t))
    pushed = (math.exp(-t) * x0
              + math.sqrt(-math.expm1(-2 * t)) * rng.standard_normal(x0.shape))
    dirs = [w / np.linalg.norm(w)
            for w in list(rng.standard_normal((3, inst.dim)))
            + secret_directions(spec["family"], inst)]
    for w in dirs:
        assert_ks2(xt @ w, pushed @ w, len(dirs), "%s t = %g along %s"
                   % (name, t, np.round(w, 3)))
