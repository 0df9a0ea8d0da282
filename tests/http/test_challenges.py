"""Challenges, the five games, commit-reveal, receipts and the leaderboard
(proto/API.md, docs/MATH.md section 5), against a live server.  Every
commitment and receipt is checked with an independent implementation
(hashlib.blake2b, PyNaCl) in gameplay.py."""
import os
import shutil
import tempfile

import numpy as np
import pytest
from scipy.stats import binom

import gameplay
from conftest import start_server

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def info(api):
    r = api.get("/v1/info")
    assert r.status == 200
    return r.json


@pytest.fixture(scope="module")
def alice(api):
    return api.new_player()[0]


@pytest.fixture(scope="module")
def bob(api):
    return api.new_player()[0]


def create(api, token, body, status=201):
    """Creates a challenge; answers its view with the eval points inline
    (the view leaves them out unless asked)."""
    r = api.post("/v1/challenges", body, token=token)
    assert r.status == status, r
    if status != 201 or not r.json.get("eval_points"):
        return r.json
    assert all("eval" not in rnd for rnd in r.json["rounds"])
    r = api.get("/v1/challenges/%s?eval=inline" % r.json["id"], token=token)
    assert r.status == 200, r
    return r.json


def answer(api, token, cid, index, body, status=200, **kw):
    r = api.post("/v1/challenges/%s/rounds/%d/answer" % (cid, index), body,
                 token=token, **kw)
    assert r.status == status, r
    return r.json


def finish(api, token, cid, status=200):
    r = api.post("/v1/challenges/%s/finish" % cid, token=token)
    assert r.status == status, r
    return r.json


def problem(r, status):
    assert r.status == status, r
    assert r.content_type == PROBLEM
    return r.json


# --- /v1/info --------------------------------------------------------------

def test_info_publishes_receipt_key_and_presets(info):
    import base64
    assert len(base64.b64decode(info["receipt_key"], validate=True)) == 32
    names = [p["name"] for p in info["presets"]]
    for want in ("pancakes-easy", "pancakes-lattice", "pancakes-frontier",
                 "pancakes-gap", "pancakes-hard", "gmm-hard",
                 "gmm-easy", "owf-8", "owf-24", "owf-32"):
        assert want in names
    hard = next(p for p in info["presets"] if p["name"] == "pancakes-hard")
    assert hard["params"]["gamma"] >= 2 * np.sqrt(hard["params"]["dim"])
    assert "distinguish" in hard["kinds"]
    # With a score oracle the certificate of Gaussianity wins every
    # distinguish game: presets other than owf give samples only.
    for p in info["presets"]:
        if p["family"] != "owf":
            assert p["budget"]["score"] == 0 and p["budget"]["logpdf"] == 0
    assert info["limits"]["max_rounds"] == 1000
    assert info["limits"]["max_eval"] == 4096


def test_receipt_key_is_stable_across_restarts():
    state = tempfile.mkdtemp(prefix="scoracle-games-")
    try:
        keys = []
        for _ in range(2):
            srv = start_server(state_dir=state)
            try:
                keys.append(srv.api.get("/v1/info").json["receipt_key"])
            finally:
                assert srv.stop() == 0
        assert keys[0] == keys[1]
    finally:
        shutil.rmtree(state, ignore_errors=True)


# --- distinguish -----------------------------------------------------------

def play_certificate(api, token, view, rng):
    """Guesses planted when the certificate of Gaussianity is far from 0:
    with the exact oracle it is exactly 0 for N(0, I), large for
    pancakes."""
    for rnd in view["rounds"]:
        inst = rnd["instance"]
        delta = gameplay.certificate(api, token, inst["id"], inst["dim"], rng)
        guess = "planted" if delta > 1e-6 else "null"
        last = answer(api, token, view["id"], rnd["index"], {"guess": guess})
    return last


def test_certificate_player_wins_distinguish(api, alice, info):
    # pancakes-gap's parameters, with the score oracle the presets
    # withhold.
    view = create(api, alice, {
        "kind": "distinguish", "rounds": 20,
        "instance": {"family": "pancakes", "dim": 32, "gamma": 4.0,
                     "sigma": 0.05}})
    assert view["status"] == "open" and len(view["rounds"]) == 20
    last = play_certificate(api, alice, view, np.random.default_rng(1))
    # The last answer finishes the challenge and reveals everything.
    assert last["status"] == "finished"
    res = last["result"]
    assert res["correct"] == 20 and res["advantage"] == 1.0
    assert res["p_value"] < 1e-4
    assert res["p_value"] == pytest.approx(binom.sf(19, 20, 0.5), rel=1e-12)
    coins = [r["planted"] for r in last["reveal"]["rounds"]]
    assert 0 < sum(coins) < 20  # a fair coin, 2^-19 to fail
    view = api.get("/v1/challenges/" + view["id"], token=alice).json
    assert view["status"] == "finished"
    gameplay.verify_finished(info, view, last)


def fixed_key_server():
    """A server whose master key is fixed, so its coins are too."""
    state = tempfile.mkdtemp(prefix="scoracle-games-")
    os.chmod(state, 0o700)
    path = os.path.join(state, "master.key")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, bytes(range(7, 39)))
    os.close(fd)
    return start_server(state_dir=state)


def test_random_guessing_when_invisible_is_not_significant():
    """sigma >= 2 / gamma with gamma sigma = 4: TV(P_u, N(0, I)) below
    8 exp(-pi beta^2) ~ 1e-17, so no one beats guessing; a guesser with a
    fixed seed against fixed coins gets an unremarkable p-value."""
    srv = fixed_key_server()
    try:
        api = srv.api
        token = api.new_player()[0]
        view = create(api, token, {
            "kind": "distinguish", "rounds": 40,
            "instance": {"family": "pancakes", "dim": 16, "gamma": 8.0,
                         "sigma": 0.5}})
        rng = np.random.default_rng(20261122)
        for rnd in view["rounds"]:
            guess = "planted" if rng.random() < 0.5 else "null"
            answer(api, token, view["id"], rnd["index"], {"guess": guess})
        res = api.get("/v1/challenges/" + view["id"], token=token).json
        res = res["result"]
        assert res["rounds"] == 40 and res["answered"] == 40
        assert res["p_value"] == pytest.approx(
            binom.sf(res["correct"] - 1, 40, 0.5), rel=1e-12)
        assert res["p_value"] > 0.01
        assert abs(res["advantage"]) < 0.5
    finally:
        assert srv.stop() == 0
        shutil.rmtree(srv.state_dir, ignore_errors=True)


def test_null_and_planted_rounds_look_alike(api, alice):
    view = create(api, alice, {"kind": "distinguish",
                               "preset": "pancakes-easy", "rounds": 12})
    shown = set()
    for rnd in view["rounds"]:
        inst = dict(rnd["instance"])
        for k in ("id", "commitment", "created_at", "round"):
            inst.pop(k)
        shown.add(repr(sorted(inst.items())))
        r = api.post("/v1/instances/%s/reveal" % rnd["instance"]["id"],
                     token=alice)
        shown.add(repr((r.status, r.json["detail"])))
        r = api.post("/v1/instances/%s/samples" % rnd["instance"]["id"],
                     {"n": 2}, token=alice)
        assert r.status == 200 and len(r.json["samples"]) == 2
    assert len(shown) == 2  # one instance view, one refusal
    fin = finish(api, alice, view["id"])
    coins = [r["planted"] for r in fin["reveal"]["rounds"]]
    assert 0 < sum(coins) < 12  # 2^-11 to fail
    # Unanswered rounds count as wrong.
    assert fin["result"]["correct"] == 0 and fin["result"]["answered"] == 0


# --- score, density, recover -----------------------------------------------

def oracle_at_eval(api, token, rnd, path, field):
    """The oracle's own answer at every eval point, each at its own t."""
    ev = rnd["eval"]
    t = np.asarray(ev["t"])
    pts = np.asarray(ev["points"])
    out = [None] * len(t)
    for tv in sorted(set(t.tolist())):
        idx = np.flatnonzero(t == tv)
        r = api.post("/v1/instances/%s/%s" % (rnd["instance"]["id"], path),
                     {"t": tv, "points": pts[idx].tolist()}, token=token)
        assert r.status == 200, r
        for j, v in zip(idx, r.json[field]):
            out[j] = v
    return pts, out


SCORE_INSTANCE = {"family": "pancakes", "dim": 6, "gamma": 3.0,
                  "sigma": 0.2,
                  "budget": {"samples": 100, "score": 100, "logpdf": 100}}


def test_score_challenge_oracle_scores_and_gaussian_guess(api, alice, info):
    view = create(api, alice, {"kind": "score", "instance": SCORE_INSTANCE,
                               "rounds": 3, "eval": 16})
    assert view["eval_points"] == 16
    for rnd in view["rounds"]:
        # Eval points are samples of P_t at several t and count as such.
        assert rnd["instance"]["used"]["samples"] == 16
        assert sorted(set(rnd["eval"]["t"])) == [0.0, 0.1, 0.5, 1.0]
        _, scores = oracle_at_eval(api, alice, rnd, "score", "scores")
        last = answer(api, alice, view["id"], rnd["index"],
                      {"scores": scores})
    res = last["result"]
    assert res["error"] == pytest.approx(0.0, abs=1e-20)
    assert res["error_gauss"] > 0 and res["error_ratio"] < 1e-12
    gameplay.verify_finished(
        info, api.get("/v1/challenges/" + view["id"], token=alice).json, last)

    view = create(api, alice, {"kind": "score", "instance": SCORE_INSTANCE,
                               "rounds": 3, "eval": 16})
    for rnd in view["rounds"]:
        x = np.asarray(rnd["eval"]["points"])
        last = answer(api, alice, view["id"], rnd["index"],
                      {"scores": (-x).tolist()})
    res = last["result"]
    assert res["error_ratio"] == pytest.approx(1.0, rel=1e-12)
    assert res["error"] == pytest.approx(res["error_gauss"], rel=1e-12)


def test_score_answer_as_npy(api, alice):
    import io
    view = create(api, alice, {"kind": "score", "instance": SCORE_INSTANCE,
                               "rounds": 1, "eval": 8})
    rnd = view["rounds"][0]
    x = np.asarray(rnd["eval"]["points"])
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(-x, dtype="<f8"))
    last = answer(api, alice, view["id"], 0, buf.getvalue(),
                  content_type="application/x-npy")
    assert last["result"]["error_ratio"] == pytest.approx(1.0, rel=1e-12)


def test_density_challenge_pac_fraction(api, alice, info):
    body = {"kind": "density", "instance": SCORE_INSTANCE, "rounds": 2,
            "eval": 12, "tolerance": 0.25}
    view = create(api, alice, body)
    assert view["tolerance"] == 0.25
    for rnd in view["rounds"]:
        _, logp = oracle_at_eval(api, alice, rnd, "logpdf", "logpdf")
        if rnd["index"] == 1:
            logp = [v + (0.1 if j % 2 else 1.0) for j, v in enumerate(logp)]
        last = answer(api, alice, view["id"], rnd["index"], {"logpdf": logp})
    # Round 0 exact (12 of 12), round 1 half within 0.25 (6 of 12).
    assert last["result"]["pac_fraction"] == pytest.approx(18 / 24)
    outcomes = [r["outcome"] for r in last["reveal"]["rounds"]]
    assert [o["within"] for o in outcomes] == [12, 6]
    gameplay.verify_finished(
        info, api.get("/v1/challenges/" + view["id"], token=alice).json, last)


def test_recover_scores_abs_cos_with_the_secret(api, alice, info):
    view = create(api, alice, {"kind": "recover", "preset": "pancakes-easy",
                               "rounds": 2})
    d = view["rounds"][0]["instance"]["dim"]
    guess = np.zeros(d)
    guess[0] = -3.0
    for rnd in view["rounds"]:
        last = answer(api, alice, view["id"], rnd["index"],
                      {"direction": guess.tolist()})
    cos = []
    for r in last["reveal"]["rounds"]:
        u = np.asarray(r["instance"]["secret"]["u"])
        assert np.linalg.norm(u) == pytest.approx(1.0)
        cos.append(abs(u[0]))
        assert r["outcome"]["abs_cos"] == pytest.approx(abs(u[0]), rel=1e-12)
    assert last["result"]["mean_abs_cos"] == pytest.approx(np.mean(cos))
    gameplay.verify_finished(
        info, api.get("/v1/challenges/" + view["id"], token=alice).json, last)


# --- posterior -------------------------------------------------------------

def test_brute_force_solves_posterior_with_8_seed_bits(api, alice, info):
    view = create(api, alice, {"kind": "posterior", "preset": "owf-8",
                               "rounds": 3})
    assert "f_key" not in view["params"]  # each round has its own
    for rnd in view["rounds"]:
        params = rnd["instance"]["params"]
        assert params["seed_bits"] == 8
        x = gameplay.brute_force_seed(params, rnd["y"])
        assert x is not None
        if rnd["index"] == 0:
            # A posterior sample: the seed's vertex of the cube, any V.
            n, m = params["seed_bits"], params["image_bits"]
            u = [params["radius"] * (1 if (x >> i) & 1 else -1)
                 for i in range(n)]
            body = {"sample": u + [0.0] * m}
        else:
            body = {"seed": x.to_bytes(1, "little").hex()}
        last = answer(api, alice, view["id"], rnd["index"], body)
    res = last["result"]
    assert res["solved"] == 3 and res["bits_inverted"] == 24
    for r in last["reveal"]["rounds"]:
        target = r["target"]
        params = view["rounds"][r["index"]]["instance"]["params"]
        seed = int.from_bytes(bytes.fromhex(target["seed"]), "little")
        assert gameplay.f_bits(params["f_key"], seed, 8, 16) == \
            gameplay.b_hat(target["y"], params["delta"])
    gameplay.verify_finished(
        info, api.get("/v1/challenges/" + view["id"], token=alice).json, last)


def test_wrong_posterior_answer_fails(api, alice):
    view = create(api, alice, {"kind": "posterior", "preset": "owf-8",
                               "rounds": 1})
    rnd = view["rounds"][0]
    x = gameplay.brute_force_seed(rnd["instance"]["params"], rnd["y"])
    wrong = next(s for s in range(256) if gameplay.f_bits(
        rnd["instance"]["params"]["f_key"], s, 8, 16) !=
        gameplay.f_bits(rnd["instance"]["params"]["f_key"], x, 8, 16))
    last = answer(api, alice, view["id"], 0,
                  {"seed": wrong.to_bytes(1, "little").hex()})
    assert last["result"]["solved"] == 0


# --- who may do what -------------------------------------------------------

def test_second_player_cannot_see_or_answer(api, alice, bob):
    view = create(api, alice, {"kind": "distinguish",
                               "preset": "pancakes-easy", "rounds": 2})
    cid, inst = view["id"], view["rounds"][0]["instance"]["id"]
    problem(api.get("/v1/challenges/" + cid, token=bob), 403)
    problem(api.post("/v1/challenges/%s/rounds/0/answer" % cid,
                     {"guess": "null"}, token=bob), 403)
    problem(api.post("/v1/challenges/%s/finish" % cid, token=bob), 403)
    problem(api.get("/v1/instances/" + inst, token=bob), 403)
    problem(api.post("/v1/instances/%s/score" % inst,
                     {"t": 0.0, "points": [[0.0] * 8]}, token=bob), 403)
    assert cid not in [c["id"] for c in
                       api.get("/v1/challenges", token=bob).json["challenges"]]
    assert cid in [c["id"] for c in
                   api.get("/v1/challenges", token=alice).json["challenges"]]
    problem(api.get("/v1/challenges/ch_000000000000000000000000",
                    token=alice), 404)
    problem(api.post("/v1/challenges/%s/rounds/2/answer" % cid,
                     {"guess": "null"}, token=alice), 404)
    problem(api.get("/v1/challenges/" + cid), 401)


def test_secrets_differ_between_players_and_rounds(api, alice, bob):
    body = {"kind": "recover", "preset": "pancakes-easy", "rounds": 3}
    us = []
    for token in (alice, bob):
        view = create(api, token, body)
        fin = finish(api, token, view["id"])
        us += [tuple(r["instance"]["secret"]["u"])
               for r in fin["reveal"]["rounds"]]
    assert len(set(us)) == 6


def test_conflicts(api, alice):
    view = create(api, alice, {"kind": "distinguish",
                               "preset": "pancakes-easy", "rounds": 3})
    cid = view["id"]
    ids = [r["instance"]["id"] for r in view["rounds"]]
    answer(api, alice, cid, 0, {"guess": "planted"})
    # An answer is final, whatever the second one says.
    problem(api.post("/v1/challenges/%s/rounds/0/answer" % cid,
                     {"guess": "null"}, token=alice), 409)
    problem(api.post("/v1/challenges/%s/rounds/0/answer" % cid,
                     {"bogus": 1}, token=alice), 409)
    # The round's oracles close with its answer; the others stay open.
    problem(api.post("/v1/instances/%s/samples" % ids[0], {"n": 1},
                     token=alice), 409)
    assert api.post("/v1/instances/%s/samples" % ids[1], {"n": 1},
                    token=alice).status == 200
    # Round instances are revealed by finish, not before.
    problem(api.post("/v1/instances/%s/reveal" % ids[1], token=alice), 409)
    problem(api.post("/v1/challenges/%s/finish" % cid, {"now": True},
                     token=alice), 422)
    assert finish(api, alice, cid)["status"] == "finished"
    problem(api.post("/v1/challenges/%s/finish" % cid, token=alice), 409)
    problem(api.post("/v1/challenges/%s/rounds/1/answer" % cid,
                     {"guess": "null"}, token=alice), 409)
    problem(api.post("/v1/instances/%s/score" % ids[2],
                     {"t": 0.0, "points": [[0.0] * 8]}, token=alice), 409)
    # finish revealed every round instance (its reveal is in the finish
    # body): they say so, and a second reveal is the usual 409.
    for i in ids:
        assert api.get("/v1/instances/" + i, token=alice).json["status"] == \
            "revealed"
    problem(api.post("/v1/instances/%s/reveal" % ids[1], token=alice), 409)


def test_budgets_hold_per_round(api, alice):
    body = {"kind": "distinguish", "rounds": 2,
            "instance": {"family": "pancakes", "dim": 4, "gamma": 2.0,
                         "sigma": 0.1,
                         "budget": {"samples": 5, "score": 3,
                                    "logpdf": None}}}
    view = create(api, alice, body)
    a, b = (r["instance"]["id"] for r in view["rounds"])
    assert api.post("/v1/instances/%s/samples" % a, {"n": 5},
                    token=alice).status == 200
    r = problem(api.post("/v1/instances/%s/samples" % a, {"n": 1},
                         token=alice), 429)
    assert r["remaining"]["samples"] == 0
    assert api.post("/v1/instances/%s/samples" % b, {"n": 5},
                    token=alice).status == 200


@pytest.mark.parametrize("body, field", [
    ({"kind": "guess", "preset": "pancakes-easy"}, "kind"),
    ({"kind": "distinguish"}, "instance"),
    ({"kind": "distinguish", "preset": "pancakes-easy",
      "instance": {"family": "pancakes", "dim": 4, "gamma": 2,
                   "sigma": 0.1}}, "instance"),
    ({"kind": "distinguish", "preset": "nope"}, "preset"),
    ({"kind": "recover", "preset": "gmm-easy"}, "kind"),
    ({"kind": "posterior", "preset": "pancakes-easy"}, "kind"),
    ({"kind": "distinguish", "preset": "pancakes-easy", "eval": 8}, "eval"),
    ({"kind": "score", "preset": "pancakes-easy", "tolerance": 0.1},
     "tolerance"),
    ({"kind": "distinguish", "preset": "pancakes-easy", "rounds": 0},
     "rounds"),
    ({"kind": "distinguish", "preset": "pancakes-easy", "rounds": 1001},
     "rounds"),
    ({"kind": "distinguish", "preset": "pancakes-easy", "colour": "red"},
     "colour"),
    ({"kind": "score", "rounds": 1, "eval": 64,
      "instance": {"family": "pancakes", "dim": 4, "gamma": 2, "sigma": 0.1,
                   "budget": {"samples": 10}}}, "instance.budget.samples"),
    ({"kind": "distinguish",
      "instance": {"family": "pancakes", "dim": 4, "gamma": 2,
                   "sigma": -1}}, "sigma"),
])
def test_invalid_challenges_are_422(api, alice, body, field):
    pb = problem(api.post("/v1/challenges", body, token=alice), 422)
    assert field in [e["field"] for e in pb.get("errors", [])] or \
        field in pb["detail"]


@pytest.mark.parametrize("kind, body", [
    ("distinguish", {"guess": "maybe"}),
    ("distinguish", {"direction": [1.0]}),
    ("distinguish", {}),
    ("recover", {"direction": [1.0, 2.0]}),
    ("recover", {"direction": [1.0] * 7 + ["x"]}),
])
def test_invalid_answers_are_422_and_leave_the_round_open(api, alice, kind,
                                                          body):
    view = create(api, alice, {"kind": kind, "preset": "pancakes-easy",
                               "rounds": 1})
    problem(api.post("/v1/challenges/%s/rounds/0/answer" % view["id"], body,
                     token=alice), 422)
    again = api.get("/v1/challenges/" + view["id"], token=alice).json
    assert again["rounds"][0]["answered"] is False


# --- leaderboard -----------------------------------------------------------

def test_leaderboard_ranks_public_finished_challenges(api, info):
    good_t, bad_t, hidden_t = (api.new_player()[0] for _ in range(3))
    ids = {}
    for name, token in (("good", good_t), ("bad", bad_t),
                        ("hidden", hidden_t)):
        body = {"kind": "distinguish", "preset": "gmm-easy", "rounds": 6}
        if name == "hidden":
            body["public"] = False
        view = create(api, token, body)
        ids[name] = view["id"]
        for rnd in view["rounds"]:
            guess = "null" if name == "bad" else \
                gameplay.norm_guess(api, token, rnd["instance"])
            answer(api, token, view["id"], rnd["index"], {"guess": guess})
    open_view = create(api, good_t, {"kind": "distinguish",
                                     "preset": "gmm-easy", "rounds": 2})
    r = api.get("/v1/leaderboard?kind=distinguish&preset=gmm-easy")
    assert r.status == 200
    boards = r.json["boards"]
    assert [(b["kind"], b["preset"]) for b in boards] == \
        [("distinguish", "gmm-easy")]
    rows = boards[0]["rows"]
    order = [row["challenge"] for row in rows]
    assert ids["good"] in order and ids["bad"] in order
    assert order.index(ids["good"]) < order.index(ids["bad"])
    assert ids["hidden"] not in order and open_view["id"] not in order
    assert [row["rank"] for row in rows] == list(range(1, len(rows) + 1))
    for row in rows:
        payload = gameplay.verify_receipt(info["receipt_key"], row["receipt"])
        assert payload["challenge"] == row["challenge"]
        assert payload["result"] == row["result"]
        assert row["used"]["score"] >= 0 and row["player"]
    ps = [row["result"]["p_value"] for row in rows]
    assert ps == sorted(ps)
    assert problem(api.get("/v1/leaderboard?kind=nope"), 400)
    assert api.get("/v1/leaderboard").status == 200


def test_every_preset_plays_its_kinds_and_opens(api, alice, info):
    """Each preset with each kind it allows: created, finished unplayed,
    and everything it reveals checks out."""
    for preset in info["presets"]:
        for kind in preset["kinds"]:
            view = create(api, alice, {"kind": kind, "preset": preset["name"],
                                       "rounds": 2})
            assert view["preset"] == preset["name"]
            assert view["params"]["budget"] == preset["budget"]
            fin = finish(api, alice, view["id"])
            assert fin["result"]["answered"] == 0
            view = api.get("/v1/challenges/" + view["id"], token=alice).json
            payload = gameplay.verify_finished(info, view, fin)
            assert payload["preset"] == preset["name"]


def test_concurrent_last_answers_finish_once(api, alice, info):
    """Answers racing for the last rounds: each is recorded once, the
    challenge finishes once, and every answer that saw it finished shows
    the same stored result and receipt."""
    import threading
    view = create(api, alice, {"kind": "distinguish",
                               "preset": "pancakes-easy", "rounds": 8})
    out = [None] * 8

    def go(i):
        out[i] = api.post("/v1/challenges/%s/rounds/%d/answer" %
                          (view["id"], i), {"guess": "planted"}, token=alice)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status for r in out] == [200] * 8
    finished = [r.json for r in out if r.json["status"] == "finished"]
    assert finished
    assert len({r["receipt"]["signature"] for r in finished}) == 1
    assert finished[0]["result"]["answered"] == 8
    final = api.get("/v1/challenges/" + view["id"], token=alice).json
    assert final["receipt"] == finished[0]["receipt"]
    gameplay.verify_finished(info, final, finished[0])


# --- games that rank something (issue 8, item 4) ----------------------------

# Pancakes so wide and thick that the law along u is N(0, 1) to 1e-19: the
# Gaussian guess is exact, and no answer could beat it.
INVISIBLE = {"family": "pancakes", "dim": 64, "gamma": 16.0, "sigma": 0.25,
             "budget": {"samples": 100}}
VISIBLE = {"family": "pancakes", "dim": 8, "gamma": 2.0, "sigma": 0.01,
           "budget": {"samples": 100}}


@pytest.mark.parametrize("kind,says", [
    ("score", "s(x) = -x is already exact"),
    ("density", "log N(x; 0, I) is within tolerance"),
])
def test_void_score_and_density_games_are_refused(api, alice, kind, says):
    before = api.get("/v1/challenges", token=alice).json["challenges"]
    r = api.post("/v1/challenges", {"kind": kind, "instance": INVISIBLE,
                                    "rounds": 2}, token=alice)
    p = problem(r, 422)
    assert says in p["detail"] and "ranks nothing" in p["detail"]
    # Refused before anything was made.
    after = api.get("/v1/challenges", token=alice).json["challenges"]
    assert len(after) == len(before)
    # The same kinds on visible pancakes play; distinguish plays on both.
    create(api, alice, {"kind": kind, "instance": VISIBLE, "rounds": 2})
    create(api, alice, {"kind": "distinguish", "instance": INVISIBLE,
                        "rounds": 2})


def test_a_huge_tolerance_voids_density(api, alice):
    r = api.post("/v1/challenges", {"kind": "density", "instance": VISIBLE,
                                    "rounds": 2, "tolerance": 1e5},
                 token=alice)
    assert "smaller tolerance" in problem(r, 422)["detail"]


FAMILY_KINDS = {"pancakes": ("distinguish", "recover", "score", "density"),
                "gmm": ("distinguish", "score", "density"),
                "owf": ("posterior",)}


def test_info_offers_only_kinds_that_rank(api, alice, info):
    """Each preset lists the kinds it is offered as: a kind its family
    plays but that /v1/info leaves out is one the server refuses on it
    (every listed kind plays: test_every_preset_plays_its_kinds...)."""
    for preset in info["presets"]:
        for kind in FAMILY_KINDS.get(preset["family"], ()):
            if kind in preset["kinds"]:
                continue
            r = api.post("/v1/challenges", {"kind": kind, "rounds": 2,
                                            "preset": preset["name"]},
                         token=alice)
            assert "ranks nothing" in problem(r, 422)["detail"]
