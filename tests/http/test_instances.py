"""Players, instances and their oracles: request/response cases."""
import hashlib
import io
import json
import os
import pathlib
import struct

import numpy as np
import pytest

from conftest import ROOT
from openapi_check import validate_response

PROBLEM = "application/problem+json"


def vectors_dir():
    return ROOT / "tests" / "vectors"


def commitment(salt_hex, instance_id, secret_bytes):
    """API.md: BLAKE2b-256(key = salt, "scoracle-commit-v1" 0 id 0 S)."""
    msg = b"scoracle-commit-v1\x00" + instance_id.encode() + b"\x00" + secret_bytes
    return hashlib.blake2b(msg, digest_size=32,
                           key=bytes.fromhex(salt_hex)).hexdigest()


def secret_bytes(family, secret):
    """The canonical bytes: every secret array as little-endian float64,
    in the order API.md lists them, row-major."""
    order = {"gaussian": [], "pancakes": ["u"], "gmm": ["means", "weights"]}
    arrays = [np.asarray(secret[name], dtype="<f8").ravel()
              for name in order[family]]
    return b"".join(a.tobytes() for a in arrays)


def npy(a):
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(a, dtype="<f8"))
    return buf.getvalue()


def from_npy(body):
    return np.load(io.BytesIO(body), allow_pickle=False)


@pytest.fixture(scope="module")
def alice(api):
    token, _ = api.new_player()
    return token


@pytest.fixture(scope="module")
def pancakes(api, alice):
    return api.new_instance(alice, family="pancakes", dim=8, gamma=4.0,
                            sigma=0.05)


# --- players ---------------------------------------------------------------

def test_register_shows_token_once_and_me_answers(api):
    r = api.post("/v1/players", {"name": "carol-unique"})
    assert r.status == 201
    body = r.json
    assert body["name"] == "carol-unique" and body["role"] == "player"
    assert body["id"].startswith("pl_") and len(body["id"]) == 27
    assert len(body["token"]) == 43
    validate_response("POST", "/v1/players", 201, body)
    me = api.get("/v1/players/me", token=body["token"])
    assert me.status == 200
    validate_response("GET", "/v1/players/me", 200, me.json)
    assert me.json["id"] == body["id"] and "token" not in me.json


def test_taken_name_is_409(api):
    api.new_player(name="dup-name")
    r = api.post("/v1/players", {"name": "dup-name"})
    assert r.status == 409 and r.content_type == PROBLEM


def test_player_cannot_create_instructor(api, alice):
    r = api.post("/v1/players", {"name": "sneaky", "role": "instructor"},
                 token=alice)
    assert r.status == 403


def test_admin_creates_instructor_who_creates_instructor(api, admin_token):
    tok, body = api.new_player(token=admin_token, role="instructor")
    assert body["role"] == "instructor"
    _, body2 = api.new_player(token=tok, role="instructor")
    assert body2["role"] == "instructor"


def test_admin_is_admin(api, admin_token):
    me = api.get("/v1/players/me", token=admin_token)
    assert me.status == 200 and me.json["role"] == "admin"


# --- instances ---------------------------------------------------------------

def test_create_shows_public_view(pancakes):
    assert pancakes["id"].startswith("in_")
    assert pancakes["family"] == "pancakes" and pancakes["dim"] == 8
    assert pancakes["params"]["gamma"] == 4.0
    assert pancakes["params"]["sigma"] == 0.05
    assert pancakes["budget"] == {"samples": None, "score": None, "logpdf": None}
    assert pancakes["used"] == {"samples": 0, "score": 0, "logpdf": 0}
    assert pancakes["oracle"] == {"t_min": 0.0, "noise": 0.0}
    assert len(pancakes["commitment"]) == 64
    assert pancakes["status"] == "open"
    assert pancakes["created_at"].endswith("Z")
    assert "secret" not in json.dumps(pancakes) and "u" not in pancakes["params"]


def test_get_matches_create(api, alice, pancakes):
    r = api.get("/v1/instances/" + pancakes["id"], token=alice)
    assert r.status == 200
    assert r.json == pancakes
    validate_response("POST", "/v1/instances", 201, pancakes)
    validate_response("GET", "/v1/instances/{id}", 200, r.json)


def test_oracle_answers_match_the_document(api, alice, pancakes):
    base = "/v1/instances/%s/" % pancakes["id"]
    pts = [[0.1] * 8, [0.2] * 8]
    for name, body in (("samples", {"n": 2}),
                       ("score", {"t": 0.1, "points": pts}),
                       ("logpdf", {"points": pts})):
        r = api.post(base + name, body, token=alice)
        assert r.status == 200
        validate_response("POST", "/v1/instances/{id}/" + name, 200, r.json)


def test_samples_json_shape_and_no_repeats(api, alice, pancakes):
    path = "/v1/instances/%s/samples" % pancakes["id"]
    a = api.post(path, {"n": 5}, token=alice).json["samples"]
    b = api.post(path, {"n": 5}, token=alice).json["samples"]
    assert np.asarray(a).shape == (5, 8) and np.asarray(b).shape == (5, 8)
    assert not set(map(tuple, a)) & set(map(tuple, b))


def test_samples_npy(api, alice, pancakes):
    r = api.post("/v1/instances/%s/samples" % pancakes["id"], {"n": 7, "t": 0.3},
                 token=alice, headers={"Accept": "application/x-npy"})
    assert r.status == 200 and r.content_type == "application/x-npy"
    x = from_npy(r.body)
    assert x.shape == (7, 8) and x.dtype == np.dtype("<f8")


def test_score_json_and_npy_agree(api, alice, pancakes):
    pts = np.random.default_rng(1).normal(size=(6, 8))
    path = "/v1/instances/%s/score" % pancakes["id"]
    j = api.post(path, {"t": 0.2, "points": pts.tolist()}, token=alice)
    assert j.status == 200
    n = api.post(path + "?t=0.2", npy(pts), token=alice,
                 content_type="application/x-npy",
                 headers={"Accept": "application/x-npy"})
    assert n.status == 200 and n.content_type == "application/x-npy"
    assert np.array_equal(np.asarray(j.json["scores"]), from_npy(n.body))


def test_logpdf_npy_in_json_out(api, alice, pancakes):
    pts = np.random.default_rng(2).normal(size=(3, 8))
    r = api.post("/v1/instances/%s/logpdf?t=0.5" % pancakes["id"], npy(pts),
                 token=alice, content_type="application/x-npy")
    assert r.status == 200 and r.content_type == "application/json"
    lp = r.json["logpdf"]
    assert len(lp) == 3 and all(np.isfinite(lp))
    n = api.post("/v1/instances/%s/logpdf?t=0.5" % pancakes["id"], npy(pts),
                 token=alice, content_type="application/x-npy",
                 headers={"Accept": "application/x-npy"})
    assert n.content_type == "application/x-npy"
    v = from_npy(n.body)
    assert v.shape == (3,) and np.array_equal(v, np.asarray(lp))


def test_gaussian_score_is_minus_x(api, alice):
    """N(0, I) at every t: the score is exactly -x (independent check)."""
    inst = api.new_instance(alice, family="gaussian", dim=4)
    pts = np.random.default_rng(3).normal(size=(5, 4))
    r = api.post("/v1/instances/%s/score" % inst["id"],
                 {"t": 0.7, "points": pts.tolist()}, token=alice)
    assert np.allclose(r.json["scores"], -pts, rtol=0, atol=1e-15)
    r = api.post("/v1/instances/%s/logpdf" % inst["id"],
                 {"points": pts.tolist()}, token=alice)
    want = -0.5 * (pts ** 2).sum(1) - 2 * np.log(2 * np.pi)
    assert np.allclose(r.json["logpdf"], want, rtol=1e-13)


def test_oracle_noise_is_deterministic_with_the_asked_rms(api, alice):
    inst = api.new_instance(alice, family="gaussian", dim=16,
                            oracle={"t_min": 0.0, "noise": 0.5})
    pts = np.random.default_rng(4).normal(size=(400, 16))
    path = "/v1/instances/%s/score" % inst["id"]
    a = np.asarray(api.post(path, {"t": 0.1, "points": pts.tolist()},
                            token=alice).json["scores"])
    b = np.asarray(api.post(path, {"t": 0.1, "points": pts.tolist()},
                            token=alice).json["scores"])
    assert np.array_equal(a, b)
    err = a + pts
    rms = np.sqrt((err ** 2).sum(1).mean())
    assert 0.45 < rms < 0.55


def test_unlimited_meters_still_count_use(api, alice):
    """Use of a meter without a limit is counted in memory first; GET
    shows it at once all the same."""
    inst = api.new_instance(alice, family="gaussian", dim=2)
    path = "/v1/instances/%s/" % inst["id"]
    for _ in range(3):
        api.post(path + "score", {"points": [[0, 0], [1, 1]]}, token=alice)
    api.post(path + "logpdf", {"points": [[0, 0]]}, token=alice)
    used = api.get("/v1/instances/" + inst["id"], token=alice).json["used"]
    assert used == {"samples": 0, "score": 6, "logpdf": 1}


def test_t_min_refuses_below(api, alice):
    inst = api.new_instance(alice, family="gaussian", dim=2,
                            oracle={"t_min": 0.5, "noise": 0.0})
    path = "/v1/instances/%s/score" % inst["id"]
    r = api.post(path, {"t": 0.25, "points": [[0, 0]]}, token=alice)
    assert r.status == 422 and r.json["errors"][0]["field"] == "t"
    assert api.get("/v1/instances/" + inst["id"], token=alice).json["used"]["score"] == 0
    assert api.post(path, {"t": 0.5, "points": [[0, 0]]}, token=alice).status == 200


def test_an_oracle_the_family_cannot_answer_costs_nothing(api, alice):
    """owf's exact logpdf has 2^seed_bits terms and is not served past
    16 seed bits: that is the client's request (422), not a server fault
    (500), and it spends no budget, limited or not."""
    for budget in ({"samples": None, "score": None, "logpdf": 5}, None):
        spec = {"family": "owf", "seed_bits": 24, "image_bits": 8}
        if budget is not None:
            spec["budget"] = budget
        inst = api.new_instance(alice, **spec)
        path = "/v1/instances/%s/" % inst["id"]
        x = [[0.1] * inst["dim"]] * 2
        r = api.post(path + "logpdf", {"points": x}, token=alice)
        assert r.status == 422, r
        assert r.headers["Content-Type"] == PROBLEM
        r = api.post(path + "score", {"points": x}, token=alice)
        assert r.status == 200, r
        used = api.get("/v1/instances/" + inst["id"], token=alice)
        assert used.json["used"] == {"samples": 0, "score": 2, "logpdf": 0}


def test_a_refused_spend_answers_nothing_after_computing(api, alice):
    """Score and logpdf compute before they spend: a request past the
    budget is still refused whole and changes nothing."""
    inst = api.new_instance(alice, family="gaussian", dim=2,
                            budget={"samples": None, "score": 3,
                                    "logpdf": 0})
    path = "/v1/instances/%s/" % inst["id"]
    r = api.post(path + "score", {"points": [[0, 0]] * 4}, token=alice)
    assert r.status == 429 and r.json["remaining"]["score"] == 3
    r = api.post(path + "logpdf", {"points": [[0, 0]]}, token=alice)
    assert r.status == 429 and r.json["remaining"]["logpdf"] == 0
    r = api.post(path + "score", {"points": [[0, 0]] * 3}, token=alice)
    assert r.status == 200 and len(r.json["scores"]) == 3
    used = api.get("/v1/instances/" + inst["id"], token=alice).json["used"]
    assert used == {"samples": 0, "score": 3, "logpdf": 0}


def test_npy_query_t_has_the_json_bounds(api, alice, pancakes):
    """t in the query string of an NPY request is held to [0, 1e6] as in
    a JSON body (proto/openapi.yaml TimeQuery), and a refusal is free."""
    path = "/v1/instances/%s/score" % pancakes["id"]
    body = npy(np.zeros((1, pancakes["dim"])))
    head = {"Content-Type": "application/x-npy"}
    before = api.get("/v1/instances/" + pancakes["id"], token=alice)
    for t in ("1e7", "1e308", "-1"):
        r = api.request("POST", path + "?t=" + t, body=body, token=alice,
                        headers=head)
        assert r.status == 422 and r.json["errors"][0]["field"] == "t", r
    # Only decimal numbers: strtod alone would read hex, inf and nan.
    for t in ("0x10", "inf", "nan", "0.5abc", ""):
        r = api.request("POST", path + "?t=" + t, body=body, token=alice,
                        headers=head)
        assert r.status == 422 and r.json["errors"][0]["field"] == "t", r
        assert "decimal number" in r.json["detail"]
    r = api.request("POST", path + "?t=1e6", body=body, token=alice,
                    headers=head)
    assert r.status == 200, r
    after = api.get("/v1/instances/" + pancakes["id"], token=alice)
    assert after.json["used"]["score"] == before.json["used"]["score"] + 1


def test_admin_sees_any_instance(api, admin_token, pancakes):
    r = api.get("/v1/instances/" + pancakes["id"], token=admin_token)
    assert r.status == 200


# --- reveal and the commitment ---------------------------------------------

def test_commitment_vector_from_shared(api):
    """The independent implementation used below agrees with the shared
    vector, so the live check is against the contract, not the server."""
    v = json.loads((vectors_dir() / "crypto.json").read_text())
    c = v["instance_commitment"]
    sb = secret_bytes("pancakes", c["secret"])
    assert sb.hex() == c["secret_bytes_hex"]
    assert commitment(c["salt"], c["id"], sb) == c["commitment"]


def test_reveal_opens_the_commitment(api, alice):
    inst = api.new_instance(alice, family="pancakes", dim=5, gamma=3.0,
                            sigma=0.1)
    path = "/v1/instances/%s/reveal" % inst["id"]
    r = api.post(path, token=alice)
    assert r.status == 200
    body = r.json
    validate_response("POST", "/v1/instances/{id}/reveal", 200, body)
    u = np.asarray(body["secret"]["u"])
    assert u.shape == (5,) and abs(np.linalg.norm(u) - 1) < 1e-12
    assert body["commitment"] == inst["commitment"]
    assert commitment(body["salt"], inst["id"],
                      secret_bytes("pancakes", body["secret"])) == inst["commitment"]
    got = api.get("/v1/instances/" + inst["id"], token=alice).json
    assert got["status"] == "revealed"
    # The oracles keep answering; a second reveal is a conflict.
    assert api.post("/v1/instances/%s/samples" % inst["id"], {"n": 1},
                    token=alice).status == 200
    assert api.post(path, token=alice).status == 409


def test_reveal_of_gaussian_is_empty_secret(api, alice):
    inst = api.new_instance(alice, family="gaussian", dim=3)
    body = api.post("/v1/instances/%s/reveal" % inst["id"], {},
                    token=alice).json
    assert body["secret"] == {}
    assert commitment(body["salt"], inst["id"], b"") == inst["commitment"]


def test_secrets_differ_between_instances(api, alice):
    spec = dict(family="pancakes", dim=4, gamma=2.0, sigma=0.1)
    a = api.new_instance(alice, **spec)
    b = api.new_instance(alice, **spec)
    assert a["commitment"] != b["commitment"]
    ua = api.post("/v1/instances/%s/reveal" % a["id"], token=alice).json
    ub = api.post("/v1/instances/%s/reveal" % b["id"], token=alice).json
    assert ua["secret"]["u"] != ub["secret"]["u"] and ua["salt"] != ub["salt"]


def test_npy_header_is_v1_little_endian_f8(api, alice, pancakes):
    r = api.post("/v1/instances/%s/samples" % pancakes["id"], {"n": 2},
                 token=alice, headers={"Accept": "application/x-npy"})
    assert r.body[:8] == b"\x93NUMPY\x01\x00"
    hlen = struct.unpack("<H", r.body[8:10])[0]
    header = r.body[10:10 + hlen].decode("latin1")
    assert "'descr': '<f8'" in header and "'fortran_order': False" in header
    assert (10 + hlen) % 64 == 0
