"""4. After /reveal, the server's /logpdf and /score equal an independent
numpy implementation of docs/MATH.md sections 1-2 (reference.py) to
1e-10 relative, at the instance's own samples and at spread-out points.

Tolerances: 1e-10 max(|ref|, 1) per point (max norm for scores), plus for
the pancakes score the input's own conditioning (MATH.md section 1): the
score along u moves by |d/dz dlogp1| per unit of z = <x, u>, and two
implementations may round that dot product apart by up to 2 d eps |x|.
"""

import numpy as np
import pytest

import reference as ref

EPS = np.finfo(float).eps
TIMES = [0.0, 0.1, 1.0]

PANCAKES = {
    "thick": dict(dim=8, gamma=2.0, sigma=0.5),
    "thin": dict(dim=8, gamma=3.0, sigma=0.02),
    "medium": dict(dim=16, gamma=4.0, sigma=0.05),
    "truncated": dict(dim=6, gamma=6.0, sigma=0.1, components=9),
}

GMMS = {
    "default": dict(dim=5, components=4),
    "weighted": dict(dim=3, components=3, spread=2.0, variance=0.3,
                     weights=[0.5, 0.3, 0.2]),
    "narrow": dict(dim=6, components=8, spread=4.0, variance=0.05),
}


def points(inst, t, seed):
    """The instance's samples at t and N(0, 1.5^2 I) points drawn here."""
    rng = np.random.default_rng(seed)
    return np.vstack([inst.samples(300, t),
                      1.5 * rng.standard_normal((300, inst.dim))])


def check(got_lp, want_lp, got_s, want_s, allowance=0.0):
    lp_err = np.abs(got_lp - want_lp) / np.maximum(np.abs(want_lp), 1)
    assert lp_err.max() <= 1e-10, "logpdf: worst relative error %.3g" % (
        lp_err.max())
    scale = np.maximum(np.max(np.abs(want_s), axis=1), 1)
    s_err = np.max(np.abs(got_s - want_s), axis=1)
    ok = s_err <= 1e-10 * scale + allowance
    assert ok.all(), "score: worst error %.3g at scale %.3g" % (
        s_err[~ok].max(), scale[~ok][np.argmax(s_err[~ok])])


@pytest.mark.parametrize("name", sorted(PANCAKES))
def test_pancakes_match_reference(make_instance, name):
    spec = PANCAKES[name]
    inst = make_instance(family="pancakes", **spec)
    u = np.asarray(inst.secret()["u"])
    d = spec["dim"]
    for i, t in enumerate(TIMES):
        x = points(inst, t, 5005 + i)
        law = ref.PancakeLaw(spec["gamma"], spec["sigma"], t,
                             spec.get("components", 0))
        cond = np.abs(law.d2logp(x @ u)) * 2 * d * EPS * np.linalg.norm(
            x, axis=1)
        check(inst.logpdf(x, t), ref.pancakes_logpdf(x, u, law),
              inst.score(x, t), ref.pancakes_score(x, u, law), cond)


@pytest.mark.parametrize("name", sorted(GMMS))
def test_gmm_matches_reference(make_instance, name):
    spec = GMMS[name]
    inst = make_instance(family="gmm", **spec)
    sec = inst.secret()
    variance = inst.params["variance"]
    for i, t in enumerate(TIMES):
        x = points(inst, t, 6006 + i)
        law = ref.GmmLaw(sec["means"], sec["weights"], variance, t)
        check(inst.logpdf(x, t), law.logpdf(x), inst.score(x, t),
              law.score(x))


def test_gaussian_matches_reference(make_instance):
    inst = make_instance(family="gaussian", dim=7)
    for i, t in enumerate(TIMES):
        x = points(inst, t, 7007 + i)
        check(inst.logpdf(x, t), ref.gaussian_logpdf(x), inst.score(x, t),
              -x)
