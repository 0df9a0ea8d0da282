"""The ladder, asserted against a live server (docs/MATH.md section 6).

Each attack tests its candidate directions on held-out samples at level
attacks.ALPHA = 1e-3, so an attack that sees nothing calls a round
planted with probability about 1e-3 whatever the coin.  Hence:

- a rung *falls* to an attack when the attack's wins have a one-sided
  binomial p-value (against guessing) of at most 0.04 (9 of 10, 7 of 8);
  the attacks asserted to win miss a planted round with probability
  below 1e-2 (BKZ-20 on the frontier, with up to 16 tours, found every
  planted direction of 8 offline and of 20 rounds in make bench; it gets
  two tries on disjoint samples here), so two misses have probability
  below 1e-3;
- a rung *resists* an attack when the attack calls at most 2 of its R
  rounds planted: an attack that sees nothing does so with probability
  below C(R, 3) 1e-9 < 1e-6, one that sees the secret calls about R / 2;
- the known-secret likelihood-ratio test wins every round: its error per
  round is below 1e-250 on every preset with a 1-D law (its hardness card).

Rounds are few to keep the file near a minute; bench.py plays more,
with BKZ-20 on every rung but pancakes-hard.
The fourier search looks at 4000 directions here (20000 in bench.py):
on rungs of 16 dimensions and more it has no chance either way.
"""
import pytest
from scipy.stats import binom

from ladder import play_distinguish, play_posterior

FALL_P = 0.04
SEES_NOTHING = 2
LIGHT = {"fourier": {"directions": 4000}}


def falls(score):
    p = binom.sf(score.wins - 1, score.rounds, 0.5)
    assert p <= FALL_P, vars(score)


def resists(score):
    assert score.said_planted <= SEES_NOTHING, vars(score)


def test_brute_force_rung_falls_to_a_search_over_directions(api):
    out = play_distinguish(api, "pancakes-easy", ["fourier", "lattice-lll"],
                           10, seed=1, options=LIGHT)
    falls(out.scores["fourier"])
    falls(out.scores["lattice-lll"])
    # The server scored the answers sent, the fourier verdicts.
    assert out.result["correct"] == out.scores["fourier"].wins


@pytest.mark.parametrize("preset,lattice,rounds", [
    ("pancakes-lattice", "lattice-lll", 10),
    ("pancakes-frontier", "lattice-bkz20", 8),
])
def test_lattice_rungs_fall_to_reduction_not_to_moments(api, preset,
                                                        lattice, rounds):
    # Two tries on disjoint samples, should BKZ-20 miss on the first 3d.
    out = play_distinguish(api, preset, [lattice, "pca", "hermite"],
                           rounds, seed=2, options={lattice: {"tries": 2}})
    falls(out.scores[lattice])
    resists(out.scores["pca"])
    resists(out.scores["hermite"])


GAP_ATTACKS = ["pca", "hermite", "fourier", "lattice-lll"]


@pytest.mark.parametrize("preset", ["pancakes-gap", "pancakes-hard",
                                    "gmm-hard"])
def test_gap_presets_resist_every_attack_but_the_known_secret(api, preset):
    out = play_distinguish(api, preset, GAP_ATTACKS, 6, seed=3,
                           options=LIGHT)
    for name in GAP_ATTACKS:
        resists(out.scores[name])
    known = out.scores["known-secret"]
    assert known.wins == known.rounds == 6, vars(known)


def test_pca_sees_a_mixture_truncated_too_early(api):
    # The check that resisting PCA means something: gmm-hard's mixture cut
    # to 9 components (the old preset) has variance 0.73 along u.
    cut = {"family": "pancakes", "dim": 32, "gamma": 6.0, "sigma": 0.1,
           "components": 9,
           "budget": {"samples": 5000, "score": 0, "logpdf": 0}}
    out = play_distinguish(api, cut, ["pca"], 6, seed=4)
    falls(out.scores["pca"])


def test_owf_8_falls_to_brute_force(api):
    out = play_posterior(api, "owf-8", 4)
    assert out.scores["brute-force"].wins == 4
    assert out.result["solved"] == 4
