"""6. Oracle noise (proto/API.md: oracle.noise = r is the root-mean-square
L2 error added to every score answer, a deterministic function of
instance, t and point).  The exact score comes from the same instance's
revealed secret through reference.py (itself held to 1e-10 of the server
in test_reference.py), so noisy - exact is the added error.

n = 4000 points: the mean of |e|^2 has a standard error of about
r^2 sqrt(2 / (d n)) (0.8% of r^2 at d = 8 for Gaussian noise), so noise of
the wrong scale by sqrt(d) or by 10% fails by a wide margin.
"""
import numpy as np
import pytest

import reference as ref
from stattools import assert_mean, assert_mean_scalar

R = 0.25
N = 4000

CASES = {
    "pancakes": dict(family="pancakes", dim=8, gamma=3.0, sigma=0.1),
    "gmm": dict(family="gmm", dim=5, components=3, variance=0.5),
}


def exact_score(spec, inst, x, t):
    sec = inst.secret()
    if spec["family"] == "pancakes":
        law = ref.PancakeLaw(spec["gamma"], spec["sigma"], t)
        return ref.pancakes_score(x, np.asarray(sec["u"]), law)
    law = ref.GmmLaw(sec["means"], sec["weights"], inst.params["variance"], t)
    return law.score(x)


@pytest.mark.parametrize("name", sorted(CASES))
def test_noise_has_the_stated_rms_and_is_deterministic(make_instance, name):
    spec = CASES[name]
    inst = make_instance(oracle={"t_min": 0.0, "noise": R}, **spec)
    assert inst.view["oracle"]["noise"] == R
    t = 0.1
    x = inst.samples(N, t)
    noisy = inst.score(x, t)
    e = noisy - exact_score(spec, inst, x, t)
    k = 3
    assert_mean_scalar(np.sum(e ** 2, axis=1), R ** 2, k, "E|e|^2")
    assert_mean(e, np.zeros(inst.dim), np.cov(e.T), k, "mean of the noise")
    # Asking again gains nothing: the same bits.
    assert np.array_equal(inst.score(x, t), noisy)
    assert np.array_equal(inst.score(x[::-1], t), noisy[::-1])
    # Another time is another draw: the errors at t and t' are unrelated.
    t2 = 0.2
    e2 = inst.score(x, t2) - exact_score(spec, inst, x, t2)
    assert_mean_scalar(np.sum(e2 ** 2, axis=1), R ** 2, k, "E|e'|^2")
    corr = np.sum(e * e2) / np.sqrt(np.sum(e ** 2) * np.sum(e2 ** 2))
    assert abs(corr) < 0.05  # ~ N(0, 1 / (d n)): sd < 0.008


def test_no_noise_means_exact(make_instance):
    spec = CASES["pancakes"]
    inst = make_instance(**spec)
    x = inst.samples(500, 0.1)
    err = inst.score(x, 0.1) - exact_score(spec, inst, x, 0.1)
    assert np.max(np.abs(err)) < 1e-9
