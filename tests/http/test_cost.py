"""Calls a family cannot answer, or that are too much work for one
request, are refused before anything is spent (sc_dist_cost)."""
import numpy as np


def used(api, tok, inst):
    return api.get("/v1/instances/%s" % inst["id"], token=tok).json["used"]


def test_owf_logpdf_beyond_exact_range_is_422_and_free(api):
    tok, _ = api.new_player()
    inst = api.new_instance(tok, family="owf", seed_bits=20, image_bits=4,
                            budget={"logpdf": 10})
    pts = np.zeros((1, inst["dim"])).tolist()
    r = api.post("/v1/instances/%s/logpdf" % inst["id"], {"points": pts},
                 token=tok)
    assert r.status == 422, r.json
    assert "seed_bits <= 16" in r.json["detail"]
    assert used(api, tok, inst)["logpdf"] == 0
    # The score of the same instance is cheap and still served.
    r = api.post("/v1/instances/%s/score" % inst["id"], {"points": pts},
                 token=tok)
    assert r.status == 200


def test_too_much_work_is_422_and_names_what_fits(api, server):
    tok, _ = api.new_player()
    inst = api.new_instance(tok, family="owf", seed_bits=16, image_bits=4,
                            budget={"logpdf": 100000})
    limit = api.get("/v1/info").json["limits"]["max_work_seconds"]
    # 12 ns per point and term (core/sc_owf.c): enough points to pass it.
    n = int(limit / (12e-9 * 2 ** 16)) + 500
    pts = np.zeros((n, inst["dim"])).tolist()
    r = api.post("/v1/instances/%s/logpdf" % inst["id"], {"points": pts},
                 token=tok)
    assert r.status == 422, r.json
    assert "at most" in r.json["detail"]
    assert used(api, tok, inst)["logpdf"] == 0
    r = api.post("/v1/instances/%s/logpdf" % inst["id"],
                 {"points": pts[:10]}, token=tok)
    assert r.status == 200 and len(r.json["logpdf"]) == 10
    assert used(api, tok, inst)["logpdf"] == 10
