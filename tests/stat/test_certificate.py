"""5. The certificate of Gaussianity (docs/MATH.md section 5, [S24]
eq. (7)): Delta = E_{z ~ N(0, I)} |s_t(z) + z|^2 from the score oracle
is 0 for N(0, I) and large for thin pancakes, so it wins the distinguish
game.  For pancakes s_t(z) + z = (dlogp1_t(<z, u>) + <z, u>) u, so Delta
depends only on public parameters: E_g (dlogp1_t(g) + g)^2, g ~ N(0, 1),
computed here by quadrature, and each planted round's Monte Carlo Delta
must match it within z_crit standard errors.
"""
import numpy as np
from scipy import integrate, stats

import reference as ref
from stattools import z_crit

SPEC = dict(family="pancakes", dim=8, gamma=2.0, sigma=0.05)
T_CERT = 0.02
N_POINTS = 4000
ROUNDS = 12


def expected_delta(law):
    """E_g (dlogp1(g) + g)^2 by the trapezoid rule on a grid 1/40 of the
    pancakes' width at T_CERT (sd 0.2), over |g| <= 12."""
    g = np.linspace(-12, 12, 240001)
    f = (law.dlogp(g) + g) ** 2 * stats.norm.pdf(g)
    return float(integrate.trapezoid(f, g))


def test_certificate_separates_null_and_planted(api, token):
    law = ref.PancakeLaw(SPEC["gamma"], SPEC["sigma"], T_CERT)
    delta_star = expected_delta(law)
    assert delta_star > 10  # thin pancakes: far from Gaussian
    r = api.post("/v1/challenges", {"kind": "distinguish", "rounds": ROUNDS,
                                    "instance": SPEC}, token=token)
    assert r.status == 201, r
    view = r.json
    rng = np.random.default_rng(8008)
    deltas = []
    for rnd in view["rounds"]:
        inst = rnd["instance"]
        z = rng.standard_normal((N_POINTS, inst["dim"]))
        s = api.post("/v1/instances/%s/score" % inst["id"],
                     {"t": T_CERT, "points": z.tolist()}, token=token)
        assert s.status == 200, s
        terms = np.sum((np.asarray(s.json["scores"]) + z) ** 2, axis=1)
        deltas.append((terms.mean(), terms.std(ddof=1) / np.sqrt(N_POINTS)))
        guess = "planted" if terms.mean() > delta_star / 2 else "null"
        r = api.post("/v1/challenges/%s/rounds/%d/answer"
                     % (view["id"], rnd["index"]), {"guess": guess},
                     token=token)
        assert r.status == 200, r
    fin = r.json  # the last answer finishes the challenge
    assert fin["status"] == "finished"
    planted = {x["index"]: x["planted"] for x in fin["reveal"]["rounds"]}
    assert 0 < sum(planted.values()) < ROUNDS  # both sides seen (fixed key)
    zc = z_crit(ROUNDS)
    for rnd, (delta, se) in zip(view["rounds"], deltas):
        if planted[rnd["index"]]:
            assert abs(delta - delta_star) <= zc * se, (
                "planted Delta %.4g vs %.4g (se %.3g)" % (delta, delta_star,
                                                         se))
        else:
            # The exact N(0, I) score is -z: nothing but rounding remains.
            assert delta <= 1e-20, "null Delta %.3g" % delta
    assert fin["result"]["correct"] == ROUNDS
