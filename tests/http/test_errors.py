"""Every error class of API.md as a request/response case.

Each case: who asks, method, path, body (or raw bytes with a media type),
and the status and problem slug expected.  Every error answer must be
application/problem+json with a urn:scoracle:problem: type URI
(proto/sc_problem.c).
"""
import io
import socket
import time

import numpy as np
import pytest

from conftest import start_server
from openapi_check import validate_response

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def world(api):
    """Two players, alice's instances (one budgeted), a ghost id."""
    alice, _ = api.new_player()
    bob, _ = api.new_player()
    inst = api.new_instance(alice, family="gaussian", dim=3)
    budgeted = api.new_instance(alice, family="gaussian", dim=3,
                                budget={"samples": 10, "score": 4,
                                        "logpdf": None})
    return {"alice": alice, "bob": bob, "id": inst["id"],
            "budgeted": budgeted["id"], "ghost": "in_" + "0" * 24,
            "bad": "not-a-token-at-all"}


def npy(a):
    buf = io.BytesIO()
    np.save(buf, np.asarray(a, dtype="<f8"))
    return buf.getvalue()



# (name, token key, method, path, body, content type, status, slug, field)
CASES = [
    ("malformed JSON", "alice", "POST", "/v1/instances",
     b'{"family": "gaussian", "dim": ', "application/json", 400,
     "malformed-request", None),
    ("JSON that is not an object", "alice", "POST", "/v1/instances",
     b"[1, 2]", "application/json", 400, "malformed-request", None),
    ("duplicate keys", "alice", "POST", "/v1/instances",
     b'{"family": "gaussian", "dim": 3, "dim": 4}', "application/json", 400,
     "malformed-request", None),
    ("no body where one is needed", "alice", "POST", "/v1/instances",
     None, None, 400, "malformed-request", None),
    ("wrong type", "alice", "POST", "/v1/instances",
     {"family": "gaussian", "dim": "three"}, None, 422,
     "invalid-parameters", "dim"),
    ("unknown field", "alice", "POST", "/v1/instances",
     {"family": "gaussian", "dim": 3, "colour": "red"}, None, 422,
     "invalid-parameters", "colour"),
    ("unknown family", "alice", "POST", "/v1/instances",
     {"family": "cauchy", "dim": 3}, None, 422, "invalid-parameters",
     "family"),
    ("out of range", "alice", "POST", "/v1/instances",
     {"family": "gaussian", "dim": 0}, None, 422, "invalid-parameters",
     "dim"),
    ("unknown budget meter", "alice", "POST", "/v1/instances",
     {"family": "gaussian", "dim": 3, "budget": {"queries": 4}}, None, 422,
     "invalid-parameters", "queries"),
    ("negative noise", "alice", "POST", "/v1/instances",
     {"family": "gaussian", "dim": 3, "oracle": {"noise": -1}}, None, 422,
     "invalid-parameters", "noise"),
    ("NaN literal", "alice", "POST", "/v1/instances/{id}/score",
     b'{"t": 0, "points": [[NaN, 0, 0]]}', "application/json", 422, None,
     None),
    ("overflowing number", "alice", "POST", "/v1/instances/{id}/score",
     b'{"t": 0, "points": [[1e999, 0, 0]]}', "application/json", 422, None,
     None),
    ("dimension mismatch", "alice", "POST", "/v1/instances/{id}/score",
     {"points": [[1.0, 2.0]]}, None, 422, "invalid-parameters", "points"),
    ("ragged points", "alice", "POST", "/v1/instances/{id}/logpdf",
     {"points": [[1, 2, 3], [1, 2]]}, None, 422, "invalid-parameters",
     "points"),
    ("negative t", "alice", "POST", "/v1/instances/{id}/score",
     {"t": -0.1, "points": [[1, 2, 3]]}, None, 422, "invalid-parameters",
     "t"),
    ("zero samples", "alice", "POST", "/v1/instances/{id}/samples",
     {"n": 0}, None, 422, "invalid-parameters", "n"),
    ("too many samples", "alice", "POST", "/v1/instances/{id}/samples",
     {"n": 10 ** 7}, None, 422, "invalid-parameters", "n"),
    ("NPY of the wrong dim", "alice", "POST", "/v1/instances/{id}/score",
     npy(np.zeros((2, 4))), "application/x-npy", 422,
     "invalid-parameters", "points"),
    ("NPY that is not NPY", "alice", "POST", "/v1/instances/{id}/score",
     b"\x93NUMPY garbage", "application/x-npy", None, None, None),
    ("NPY t that is not a number", "alice", "POST",
     "/v1/instances/{id}/score?t=soon", npy(np.zeros((1, 3))),
     "application/x-npy", 422, "invalid-parameters", "t"),
    ("reveal with fields", "alice", "POST", "/v1/instances/{id}/reveal",
     {"please": True}, None, 422, "invalid-parameters", "please"),
    ("no token", None, "GET", "/v1/instances/{id}", None, None, 401,
     "unauthorized", None),
    ("wrong token", "bad", "GET", "/v1/instances/{id}", None, None, 401,
     "unauthorized", None),
    ("someone else's instance", "bob", "GET", "/v1/instances/{id}", None,
     None, 403, "forbidden", None),
    ("someone else's oracle", "bob", "POST", "/v1/instances/{id}/samples",
     {"n": 1}, None, 403, "forbidden", None),
    ("someone else's reveal", "bob", "POST", "/v1/instances/{id}/reveal",
     None, None, 403, "forbidden", None),
    ("unknown instance", "alice", "GET", "/v1/instances/{ghost}", None,
     None, 404, "not-found", None),
    ("unknown path", "alice", "GET", "/v1/nothing/here", None, None, 404,
     "not-found", None),
    ("wrong media type", "alice", "POST", "/v1/instances",
     b"family=gaussian", "application/x-www-form-urlencoded", 415,
     "unsupported-media-type", None),
    ("NPY where only JSON goes", "alice", "POST",
     "/v1/instances/{id}/samples", npy(np.zeros((1, 3))),
     "application/x-npy", 415, "unsupported-media-type", None),
    ("wrong method", "alice", "DELETE", "/v1/instances/{id}", None, None,
     405, "method-not-allowed", None),
    ("budget overrun", "alice", "POST", "/v1/instances/{budgeted}/samples",
     {"n": 11}, None, 429, "budget-exhausted", None),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_error_case(api, world, case):
    name, who, method, path, body, ctype, status, slug, field = case
    path = path.format(**world)
    r = api.request(method, path, body=body, token=world.get(who),
                    content_type=ctype)
    if status is not None:
        assert r.status == status, r
    else:
        assert 400 <= r.status < 500, r
    assert r.content_type == PROBLEM, r
    p = r.json
    assert p["status"] == r.status
    assert p["type"].startswith("urn:scoracle:problem:")
    assert p["title"] and p["detail"]
    if slug is not None:
        assert p["type"] == "urn:scoracle:problem:" + slug
    if field is not None:
        assert field in [e["field"] for e in p["errors"]], p
    template = path.split("?")[0]
    for v, k in ((world["id"], "{id}"), (world["budgeted"], "{id}"),
                 (world["ghost"], "{id}")):
        template = template.replace(v, k)
    validate_response(method, template, r.status, p)


def test_401_names_the_scheme(api, world):
    r = api.get("/v1/players/me")
    assert r.status == 401 and r.headers["WWW-Authenticate"] == "Bearer"


def test_405_has_allow(api, world):
    r = api.request("PUT", "/v1/instances/%s/score" % world["id"],
                    token=world["alice"])
    assert r.status == 405 and r.headers["Allow"] == "POST"
    r = api.request("DELETE", "/v1/instances", token=world["alice"])
    assert r.status == 405 and r.headers["Allow"] == "POST"


def test_auth_comes_before_media_type(api, world):
    r = api.post("/v1/instances", b"x", content_type="text/plain")
    assert r.status == 401


def test_budget_overrun_is_refused_whole(api, world):
    path = "/v1/instances/%s/" % world["budgeted"]
    tok = world["alice"]
    assert api.post(path + "score", {"points": [[0, 0, 0]] * 3},
                    token=tok).status == 200
    r = api.post(path + "score", {"points": [[0, 0, 0]] * 2}, token=tok)
    assert r.status == 429
    assert r.json["remaining"] == {"samples": 10, "score": 1, "logpdf": None}
    used = api.get("/v1/instances/" + world["budgeted"], token=tok).json["used"]
    assert used["score"] == 3
    assert api.post(path + "score", {"points": [[0, 0, 0]]},
                    token=tok).status == 200
    used = api.get("/v1/instances/" + world["budgeted"], token=tok).json["used"]
    assert used == {"samples": 0, "score": 4, "logpdf": 0}


def test_malformed_requests_spend_nothing(api, world):
    tok = world["alice"]
    inst = api.new_instance(tok, family="gaussian", dim=3,
                            budget={"samples": 5, "score": 5, "logpdf": 5})
    path = "/v1/instances/%s/" % inst["id"]
    api.post(path + "score", {"points": [[1, 2]]}, token=tok)
    api.post(path + "logpdf", b'{"points": [[NaN, 1, 2]]}',
             content_type="application/json", token=tok)
    api.post(path + "samples", {"n": 6}, token=tok)
    used = api.get("/v1/instances/" + inst["id"], token=tok).json["used"]
    assert used == {"samples": 0, "score": 0, "logpdf": 0}


# --- body caps, with a server of a small cap ---------------------------------

@pytest.fixture(scope="module")
def small():
    srv = start_server(args=["--max-body", "4096"])
    yield srv
    # A clean exit: under ASan a leak or an error makes this nonzero.
    assert srv.stop() == 0


def raw_exchange(base_url, head, body=b"", read_timeout=10):
    """Sends raw bytes and answers the status line and the headers."""
    host, port = base_url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=read_timeout) as s:
        s.sendall(head + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return data


def test_413_before_the_body_is_read(small):
    tok, _ = small.api.new_player()
    head = ("POST /v1/instances HTTP/1.1\r\nHost: x\r\n"
            "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
            "Content-Length: 1073741824\r\n\r\n" % tok).encode()
    # Not one byte of the announced gigabyte is sent: the answer can only
    # come from the headers.
    data = raw_exchange(small.base_url, head)
    assert data.startswith(b"HTTP/1.1 413"), data[:200]
    assert b"application/problem+json" in data


def test_413_for_a_chunked_body_past_the_cap(small):
    tok, _ = small.api.new_player()
    head = ("POST /v1/instances HTTP/1.1\r\nHost: x\r\n"
            "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n" % tok).encode()
    chunk = b"1000\r\n" + b" " * 4096 + b"\r\n"
    data = raw_exchange(small.base_url, head, chunk * 3 + b"0\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 413"), data[:200]


def test_body_at_the_cap_is_read(small):
    tok, _ = small.api.new_player()
    body = b'{"family": "gaussian", "dim": 2}'
    body += b" " * (4096 - len(body))
    r = small.api.post("/v1/instances", body, token=tok,
                       content_type="application/json")
    assert r.status == 201


def test_json_has_a_smaller_cap_than_npy():
    """Decoded JSON holds about twenty times its size, so JSON bodies have
    a cap of their own; the same points as NPY pass under --max-body."""
    srv = start_server(args=["--max-json-body", "4096"])
    try:
        tok, _ = srv.api.new_player()
        inst = srv.api.new_instance(tok, family="gaussian", dim=8)
        path = "/v1/instances/%s/score" % inst["id"]
        pts = np.full((100, 8), 0.123456789012345)
        r = srv.api.post(path, {"points": pts.tolist()}, token=tok)
        assert r.status == 413 and "NPY" in r.json["detail"], r.json
        validate_response("POST", "/v1/instances/{id}/score", 413, r.json)
        r = srv.api.post(path, npy(pts), token=tok,
                         content_type="application/x-npy",
                         headers={"Accept": "application/x-npy"})
        assert r.status == 200
        assert np.array_equal(np.load(io.BytesIO(r.body)), -pts)
        limits = srv.api.get("/v1/info").json["limits"]
        assert limits["max_json_body_bytes"] == 4096
        assert limits["max_body_bytes"] == 64 * 1024 * 1024
    finally:
        assert srv.stop() == 0


def test_registration_open_on_loopback(small):
    r = small.api.get("/v1/info")
    assert r.json["registration"] == "open"


def test_registration_closed():
    srv = start_server(args=["--registration", "closed"])
    try:
        r = srv.api.post("/v1/players", {"name": "walk-in"})
        assert r.status == 401 and r.content_type == PROBLEM
        tok, body = srv.api.new_player(token=srv.admin_token)
        assert body["role"] == "player"
        r = srv.api.post("/v1/players", {"name": "friend"}, token=tok)
        assert r.status == 403
        assert srv.api.get("/v1/info").json["registration"] == "closed"
    finally:
        assert srv.stop() == 0
