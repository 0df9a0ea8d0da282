"""Reading again what was shown once (server/challenge_reads.c,
h_instances.c): reveals of instances and challenges, and a round's eval
points, as JSON or NPY, outside the challenge view."""
import io

import numpy as np
import pytest

NPY = "application/x-npy"


def from_npy(body):
    return np.load(io.BytesIO(body), allow_pickle=False)


@pytest.fixture(scope="module")
def alice(api):
    return api.new_player()[0]


@pytest.fixture(scope="module")
def bob(api):
    return api.new_player()[0]


SCORE = {"kind": "score", "rounds": 3, "eval": 10,
         "instance": {"family": "pancakes", "dim": 5, "gamma": 3.0,
                      "sigma": 0.2}}


@pytest.fixture(scope="module")
def score_challenge(api, alice):
    r = api.post("/v1/challenges", SCORE, token=alice)
    assert r.status == 201, r
    return r.json


def test_instance_reveal_reads_again(api, alice, bob):
    inst = api.new_instance(alice, family="pancakes", dim=4, gamma=2.0,
                            sigma=0.1)
    path = "/v1/instances/%s/reveal" % inst["id"]
    r = api.get(path, token=alice)
    assert r.status == 409 and "POST" in r.json["detail"], r
    first = api.post(path, token=alice)
    assert first.status == 200, first
    assert api.post(path, token=alice).status == 409
    for _ in range(2):
        again = api.get(path, token=alice)
        assert again.status == 200 and again.json == first.json
    assert api.get(path, token=bob).status == 403
    assert api.get("/v1/instances/in_%s/reveal" % ("0" * 24),
                   token=alice).status == 404


def test_round_instance_reveal_after_its_challenge(api, alice):
    r = api.post("/v1/challenges", {"kind": "recover", "rounds": 1,
                                    "instance": {"family": "pancakes",
                                                 "dim": 3, "gamma": 2.0,
                                                 "sigma": 0.1}},
                 token=alice)
    assert r.status == 201, r
    cid, iid = r.json["id"], r.json["rounds"][0]["instance"]["id"]
    r = api.get("/v1/instances/%s/reveal" % iid, token=alice)
    assert r.status == 409 and "challenge" in r.json["detail"]
    r = api.get("/v1/challenges/%s/reveal" % cid, token=alice)
    assert r.status == 409 and "finish" in r.json["detail"]
    fin = api.post("/v1/challenges/%s/finish" % cid, token=alice)
    assert fin.status == 200, fin
    r = api.get("/v1/instances/%s/reveal" % iid, token=alice)
    assert r.status == 200
    assert r.json == fin.json["reveal"]["rounds"][0]["instance"]
    again = api.get("/v1/challenges/%s/reveal" % cid, token=alice)
    assert again.status == 200 and again.json == fin.json


def test_view_leaves_eval_points_out_unless_asked(api, alice,
                                                  score_challenge):
    cid = score_challenge["id"]
    assert all("eval" not in rnd for rnd in score_challenge["rounds"])
    plain = api.get("/v1/challenges/" + cid, token=alice).json
    assert all("eval" not in rnd for rnd in plain["rounds"])
    full = api.get("/v1/challenges/%s?eval=inline" % cid, token=alice).json
    assert [len(rnd["eval"]["points"]) for rnd in full["rounds"]] == \
        [10, 10, 10]
    r = api.get("/v1/challenges/%s?eval=yes" % cid, token=alice)
    assert r.status == 422 and r.json["errors"][0]["field"] == "eval"


def test_round_eval_json_and_npy_agree_with_the_view(api, alice,
                                                     score_challenge):
    cid = score_challenge["id"]
    full = api.get("/v1/challenges/%s?eval=inline" % cid, token=alice).json
    for rnd in full["rounds"]:
        path = "/v1/challenges/%s/rounds/%d/eval" % (cid, rnd["index"])
        js = api.get(path, token=alice)
        assert js.status == 200 and js.json["index"] == rnd["index"]
        assert js.json["t"] == rnd["eval"]["t"]
        assert js.json["points"] == rnd["eval"]["points"]
        x = api.get(path, token=alice, headers={"Accept": NPY})
        assert x.status == 200 and x.content_type == NPY
        pts = from_npy(x.body)
        assert pts.shape == (10, 5) and pts.dtype == np.dtype("<f8")
        assert pts.tolist() == rnd["eval"]["points"]
        t = api.get(path + "?part=t", token=alice, headers={"Accept": NPY})
        assert from_npy(t.body).tolist() == rnd["eval"]["t"]


def test_round_eval_refusals(api, alice, bob, score_challenge):
    cid = score_challenge["id"]
    base = "/v1/challenges/%s/rounds/" % cid
    assert api.get(base + "3/eval", token=alice).status == 404
    assert api.get(base + "01/eval", token=alice).status == 404
    assert api.get(base + "x/eval", token=alice).status == 404
    assert api.get(base + "0/eval", token=bob).status == 403
    r = api.get(base + "0/eval?part=u", token=alice)
    assert r.status == 422 and r.json["errors"][0]["field"] == "part"
    r = api.post("/v1/challenges", {"kind": "distinguish", "rounds": 1,
                                    "preset": "pancakes-easy"}, token=alice)
    assert r.status == 201, r
    r = api.get("/v1/challenges/%s/rounds/0/eval" % r.json["id"],
                token=alice)
    assert r.status == 404 and "no eval points" in r.json["detail"]
