"""Live responses against proto/openapi.yaml: every endpoint the server
routes is called, successes and error classes alike, and every JSON
body is validated by openapi_check against its operation and status.
The media types of bodies are checked too (JSON, problem+json, NPY)."""

import base64
import io
import json

import numpy as np
import pytest

import openapi_check as oc

PROBLEM = "application/problem+json"


def check(r, method, template, status, media=None):
    """r has the status; its body matches the document."""
    assert r.status == status, r
    if media is None:
        media = PROBLEM if status >= 400 else "application/json"
    assert r.content_type == media, r
    if media in ("application/json", PROBLEM):
        oc.validate_response(method, template, status, r.json)
    return r


@pytest.fixture(scope="module")
def player(api):
    token, _ = api.new_player()
    return token


@pytest.fixture(scope="module")
def instances(api, player):
    specs = [
        {"family": "gaussian", "dim": 3},
        {"family": "pancakes", "dim": 3, "gamma": 2, "sigma": 0.1,
         "budget": {"samples": 4}},
        {"family": "gmm", "dim": 2, "components": 2, "weights": [1, 3]},
        {"family": "owf", "seed_bits": 4, "image_bits": 8},
    ]
    out = []
    for spec in specs:
        r = api.post("/v1/instances", spec, token=player)
        check(r, "POST", "/v1/instances", 201)
        out.append(r.json)
    return out


def test_operations(api):
    check(api.get("/healthz"), "GET", "/healthz", 200)
    check(api.get("/v1/info"), "GET", "/v1/info", 200)
    r = api.get("/v1/openapi.yaml")
    assert r.status == 200
    with open(oc.DOC_PATH, "rb") as f:
        assert r.body == f.read()  # the document, byte for byte
    r = api.get("/metrics")
    assert r.status == 200 and r.content_type == "text/plain"


def test_players(api, admin_token):
    r = check(api.post("/v1/players", {"name": "oa-" + "x" * 8}), "POST",
              "/v1/players", 201)
    token = r.json["token"]
    check(api.get("/v1/players/me", token=token), "GET", "/v1/players/me",
          200)
    check(api.post("/v1/players", {"name": "oa-" + "x" * 8}), "POST",
          "/v1/players", 409)
    check(api.post("/v1/players", {"name": "oa-i", "role": "instructor"},
                   token=admin_token), "POST", "/v1/players", 201)
    check(api.post("/v1/players", {"name": "oa-j", "role": "instructor"},
                   token=token), "POST", "/v1/players", 403)
    check(api.get("/v1/players/me"), "GET", "/v1/players/me", 401)
    check(api.get("/v1/players/me", token="nope"), "GET", "/v1/players/me",
          401)


def test_instances_and_oracles(api, player, instances):
    for inst in instances:
        base = "/v1/instances/" + inst["id"]
        dim = inst["dim"]
        check(api.get(base, token=player), "GET", "/v1/instances/{id}", 200)
        check(api.post(base + "/samples", {"n": 2}, token=player), "POST",
              "/v1/instances/{id}/samples", 200)
        check(api.post(base + "/score", {"points": [[0.25] * dim]},
                       token=player), "POST", "/v1/instances/{id}/score",
              200)
        check(api.post(base + "/logpdf", {"t": 0.5,
                                          "points": [[0.25] * dim] * 2},
                       token=player), "POST", "/v1/instances/{id}/logpdf",
              200)
        check(api.post(base + "/reveal", token=player), "POST",
              "/v1/instances/{id}/reveal", 200)
        check(api.post(base + "/reveal", token=player), "POST",
              "/v1/instances/{id}/reveal", 409)


def test_npy_alternatives(api, player, instances):
    inst = instances[0]
    base = "/v1/instances/" + inst["id"]
    buf = io.BytesIO()
    np.save(buf, np.full((5, inst["dim"]), 0.5))
    npy = {"Accept": "application/x-npy"}
    r = check(api.post(base + "/score?t=0.25", buf.getvalue(), token=player,
                       content_type="application/x-npy", headers=npy),
              "POST", "/v1/instances/{id}/score", 200, "application/x-npy")
    assert np.load(io.BytesIO(r.body)).shape == (5, inst["dim"])
    r = check(api.post(base + "/logpdf", buf.getvalue(), token=player,
                       content_type="application/x-npy", headers=npy),
              "POST", "/v1/instances/{id}/logpdf", 200, "application/x-npy")
    assert np.load(io.BytesIO(r.body)).shape == (5,)
    r = check(api.post(base + "/samples", {"n": 3}, token=player,
                       headers=npy),
              "POST", "/v1/instances/{id}/samples", 200, "application/x-npy")
    assert np.load(io.BytesIO(r.body)).shape == (3, inst["dim"])
    check(api.post(base + "/score", b"\x93NUMPY\x09", token=player,
                   content_type="application/x-npy"),
          "POST", "/v1/instances/{id}/score", 400)


def test_instance_errors(api, player, instances, admin_token):
    other, _ = api.new_player()
    inst = instances[1]
    base = "/v1/instances/" + inst["id"]
    cases = [
        ("POST", "/v1/instances", "{", 400),
        ("POST", "/v1/instances", {"family": "gaussian", "dim": 3,
                                   "colour": 1}, 422),
        ("POST", "/v1/instances", {"family": "gaussian", "dim": "3"}, 422),
        ("POST", base + "/score", {"points": [[1, 2]]}, 422),
        ("POST", base + "/score", '{"points": [[NaN, 1, 2]]}', 422),
        ("POST", base + "/samples", {"n": 5}, 429),
        ("GET", "/v1/instances/in_" + "0" * 24, None, 404),
    ]
    for method, path, body, status in cases:
        r = api.request(method, path, body=body, token=player,
                        content_type="application/json"
                        if isinstance(body, str) else None)
        template = oc.find_template(path)
        check(r, method, template, status)
    check(api.get(base, token=other), "GET", "/v1/instances/{id}", 403)
    check(api.request("DELETE", base, token=player), "DELETE",
          "/v1/instances/{id}", 405)
    check(api.get("/v1/nowhere"), "GET", "/v1/nowhere", 404)
    check(api.post("/v1/instances", "dim=3", token=player,
                   content_type="text/plain"), "POST", "/v1/instances", 415)
    check(api.post(base + "/reveal", {"now": True}, token=player), "POST",
          "/v1/instances/{id}/reveal", 422)
    check(api.post(base + "/reveal", "now", token=player,
                   content_type="text/plain"), "POST",
          "/v1/instances/{id}/reveal", 415)


def _answer(kind, rnd):
    dim = rnd["instance"]["dim"]
    n = len(rnd.get("eval", {}).get("points", []))
    if kind == "distinguish":
        return {"guess": "planted"}
    if kind == "recover":
        return {"direction": [1.0] * dim}
    if kind == "score":
        return {"scores": [[0.0] * dim] * n}
    if kind == "density":
        return {"logpdf": [0.0] * n}
    return {"sample": [0.0] * dim}


@pytest.mark.parametrize("kind,instance", [
    ("distinguish", {"family": "pancakes", "dim": 3, "gamma": 2,
                     "sigma": 0.1}),
    ("recover", {"family": "pancakes", "dim": 3, "gamma": 2, "sigma": 0.1}),
    ("score", {"family": "gmm", "dim": 2, "components": 2}),
    ("density", {"family": "gmm", "dim": 2, "components": 2}),
    ("posterior", {"family": "owf", "seed_bits": 4, "image_bits": 8}),
])
def test_challenge_flow(api, player, kind, instance):
    token = player
    r = check(api.post("/v1/challenges", {"kind": kind, "rounds": 2,
                                          "instance": instance},
                       token=token), "POST", "/v1/challenges", 201)
    cid = r.json["id"]
    r = check(api.get("/v1/challenges/" + cid + "?eval=inline",
                      token=token), "GET", "/v1/challenges/{id}", 200)
    answer = _answer(kind, r.json["rounds"][0])
    eval_path = "/v1/challenges/%s/rounds/0/eval" % cid
    eval_template = "/v1/challenges/{id}/rounds/{index}/eval"
    check(api.get(eval_path, token=token), "GET", eval_template,
          200 if kind in ("score", "density") else 404)
    check(api.get("/v1/challenges/%s/reveal" % cid, token=token), "GET",
          "/v1/challenges/{id}/reveal", 409)
    path = "/v1/challenges/%s/rounds/0/answer" % cid
    template = "/v1/challenges/{id}/rounds/{index}/answer"
    check(api.post(path, answer, token=token), "POST", template, 200)
    check(api.post(path, answer, token=token), "POST", template, 409)
    r = check(api.post("/v1/challenges/%s/finish" % cid, token=token),
              "POST", "/v1/challenges/{id}/finish", 200)
    payload = json.loads(base64.b64decode(r.json["receipt"]["payload"]))
    oc.validate_schema("ReceiptPayload", payload)
    again = check(api.get("/v1/challenges/%s/reveal" % cid, token=token),
                  "GET", "/v1/challenges/{id}/reveal", 200)
    assert again.json == {k: r.json[k] for k in again.json}
    check(api.get("/v1/challenges/" + cid, token=token), "GET",
          "/v1/challenges/{id}", 200)


def test_challenge_lists_and_errors(api, player):
    token = player
    check(api.get("/v1/challenges", token=token), "GET", "/v1/challenges",
          200)
    check(api.get("/v1/leaderboard"), "GET", "/v1/leaderboard", 200)
    check(api.get("/v1/leaderboard?kind=recover&limit=3"), "GET",
          "/v1/leaderboard", 200)
    check(api.get("/v1/leaderboard?limit=0"), "GET", "/v1/leaderboard", 400)
    check(api.post("/v1/challenges", {"kind": "guess", "preset": "x"},
                   token=token), "POST", "/v1/challenges", 422)
    check(api.get("/v1/challenges/ch_" + "0" * 24, token=token), "GET",
          "/v1/challenges/{id}", 404)
    info = api.get("/v1/info").json
    preset = info["presets"][0]
    check(api.post("/v1/challenges", {"kind": preset["kinds"][0],
                                      "preset": preset["name"]},
                   token=token), "POST", "/v1/challenges", 201)


def test_classes(api, player, admin_token):
    teacher, _ = api.new_player(token=admin_token, role="instructor")
    r = check(api.post("/v1/classes", {"name": "oa-class"}, token=teacher),
              "POST", "/v1/classes", 201)
    cid, code = r.json["id"], r.json["join_code"]
    check(api.post("/v1/classes/join", {"code": code, "name": "oa-s1"}),
          "POST", "/v1/classes/join", 201)
    check(api.post("/v1/classes/join", {"code": "nope", "name": "oa-s2"}),
          "POST", "/v1/classes/join", 404)
    check(api.post("/v1/classes/%s/assignments" % cid,
                   {"kind": "recover", "rounds": 1,
                    "instance": {"family": "pancakes", "dim": 2, "gamma": 2,
                                 "sigma": 0.1}}, token=teacher),
          "POST", "/v1/classes/{id}/assignments", 201)
    check(api.get("/v1/classes/" + cid, token=teacher), "GET",
          "/v1/classes/{id}", 200)
    check(api.get("/v1/classes/%s/results" % cid, token=teacher), "GET",
          "/v1/classes/{id}/results", 200)
    r = api.get("/v1/classes/%s/results" % cid, token=teacher,
                headers={"Accept": "text/csv"})
    assert r.status == 200 and r.content_type == "text/csv"
    check(api.post("/v1/classes", {"name": "x"}, token=player), "POST",
          "/v1/classes", 403)
