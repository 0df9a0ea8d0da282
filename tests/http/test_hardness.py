"""/v1/info's hardness cards (docs/MATH.md section 6): every preset has
one, each number with its method, and the ladder reads in order."""
import math

import pytest


@pytest.fixture(scope="module")
def presets(api):
    return {p["name"]: p for p in api.get("/v1/info").json["presets"]}


def test_every_preset_has_a_card_saying_how_it_was_obtained(presets):
    for p in presets.values():
        h = p["hardness"]
        assert h["regime"] in ("brute-force", "lattice", "gap")
        for k in ("tv_along_secret", "known_secret_power",
                  "unbounded_search_samples"):
            assert h["method"][k], (p["name"], k)
        b = h["best_attack"]
        if b is not None:
            assert b["method"] and b["measured"]
            assert 0 <= b["win_rate"] <= 1


def test_no_rung_is_out_of_reach_with_its_own_budget(presets):
    for name, p in presets.items():
        h = p["hardness"]
        if p["family"] != "pancakes":
            continue
        assert 0 < h["tv_along_secret"] <= 1
        assert h["known_secret_power"] > 0.99
        assert h["known_secret_log10_error"] < -2
        assert h["unbounded_search_samples"] <= p["budget"]["samples"], name


def test_the_ladder_reads_in_order(presets):
    regime = {n: p["hardness"]["regime"] for n, p in presets.items()}
    assert regime["pancakes-easy"] == "brute-force"
    assert regime["pancakes-lattice"] == regime["pancakes-frontier"] == \
        "lattice"
    for n in ("pancakes-gap", "pancakes-hard", "gmm-hard"):
        assert regime[n] == "gap"
    hard = presets["pancakes-hard"]["params"]
    assert hard["gamma"] >= 2 * math.sqrt(hard["dim"])
    owf = presets["owf-32"]["hardness"]
    assert owf["known_secret_power"] == 1
    assert owf["search_space_log2"] == 32
