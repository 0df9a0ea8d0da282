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


@pytest.mark.parametrize("preset", ["owf-24", "owf-32"])
def test_owf_presets_past_exact_logpdf_still_play(api, preset):
    """Seeds past 16 bits: samples, scores and measurements work, the
    exact 2^n-term logpdf is refused with a reason, and a wrong seed
    loses."""
    r = api.post("/v1/players", {"name": "owf-" + preset[4:] + "-player"})
    assert r.status == 201, r
    tok = r.json["token"]
    r = api.post("/v1/challenges", {"kind": "posterior", "preset": preset,
                                    "rounds": 1}, token=tok)
    assert r.status == 201, r
    cid, rnd = r.json["id"], r.json["rounds"][0]
    inst, bits = rnd["instance"], rnd["instance"]["params"]["seed_bits"]
    assert len(rnd["y"]) == 2 * bits
    path = "/v1/instances/%s/" % inst["id"]
    r = api.post(path + "samples", {"n": 2}, token=tok)
    assert r.status == 200, r
    x = r.json["samples"]
    assert len(x) == 2 and len(x[0]) == 3 * bits
    r = api.post(path + "score", {"points": x, "t": 0.5}, token=tok)
    assert r.status == 200, r
    r = api.post(path + "logpdf", {"points": x, "t": 0.5}, token=tok)
    assert r.status == 422, r
    assert "seed_bits <= 16" in r.json["detail"]
    r = api.post("/v1/challenges/%s/rounds/0/answer" % cid,
                 {"seed": bytes(bits // 8).hex()}, token=tok)
    assert r.status == 200, r
    assert r.json["status"] == "finished"
    assert r.json["result"]["solved"] == 0
