"""Strict query strings (server/query.c) and the one-t rule of the
oracles: a parameter the server would not read, or would read ambiguously,
is a 422 naming it, and a refusal spends nothing."""
import io

import numpy as np
import pytest

from openapi_check import validate

NPY = {"Content-Type": "application/x-npy"}


def npy(a):
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(a, dtype="<f8"))
    return buf.getvalue()


@pytest.fixture(scope="module")
def alice(api):
    return api.new_player()[0]


@pytest.fixture(scope="module")
def inst(api, alice):
    return api.new_instance(alice, family="gaussian", dim=3)


def used(api, alice, inst):
    return api.get("/v1/instances/" + inst["id"], token=alice).json["used"]


def refused(r, field):
    assert r.status == 422, r
    assert r.content_type == "application/problem+json"
    assert r.json["errors"][0]["field"] == field, r.json
    validate({"$ref": "#/components/schemas/Problem"}, r.json, "422")
    return r.json["detail"]


CASES = [
    # (what, method, path, body, field)
    ("misspelt t on an NPY score", "POST", "/score?time=0.1", "npy", "time"),
    ("t twice", "POST", "/score?t=0.1&t=0.2", "npy", "t"),
    ("t as nan", "POST", "/score?t=nan", "npy", "t"),
    ("t as inf", "POST", "/logpdf?t=inf", "npy", "t"),
    ("t as -Infinity", "POST", "/logpdf?t=-Infinity", "npy", "t"),
    ("t without a value", "POST", "/score?t", "npy", "t"),
    ("t on samples", "POST", "/samples?t=0.5", {"n": 1}, "t"),
    ("a query on a GET that reads none", "GET", "?verbose=1", None,
     "verbose"),
    ("query t beside a JSON t", "POST", "/score?t=0.5",
     {"t": 0.5, "points": [[0, 0, 0]]}, "t"),
    ("query nan beside a JSON body", "POST", "/logpdf?t=nan",
     {"points": [[0, 0, 0]]}, "t"),
]


@pytest.mark.parametrize("what,method,path,body,field", CASES,
                         ids=[c[0] for c in CASES])
def test_refused_queries_name_the_parameter(api, alice, inst, what, method,
                                            path, body, field):
    before = used(api, alice, inst)
    headers = None
    if body == "npy":
        body, headers = npy(np.zeros((2, 3))), NPY
    r = api.request(method, "/v1/instances/" + inst["id"] + path, body=body,
                    token=alice, headers=headers)
    assert field in refused(r, field)
    assert used(api, alice, inst) == before


def test_unknown_parameter_lists_what_the_call_takes(api, alice, inst):
    r = api.request("POST", "/v1/instances/%s/score?time=1" % inst["id"],
                    body=npy(np.zeros((1, 3))), token=alice, headers=NPY)
    assert "takes t" in refused(r, "time")


def test_leaderboard_refuses_unknown_parameters(api):
    assert api.get("/v1/leaderboard?limit=3").status == 200
    refused(api.get("/v1/leaderboard?limt=3"), "limt")
    refused(api.get("/v1/leaderboard?limit=3&limit=4"), "limit")


def test_query_t_serves_a_json_body_without_t(api, alice, inst):
    """The score of N(0, I) does not depend on t, but the logpdf of the
    planted distribution at t is the same standard normal: the query t
    must be taken, not dropped, so ask an instance whose t_min refuses
    t = 0."""
    strict = api.new_instance(alice, family="gaussian", dim=3,
                              oracle={"t_min": 0.25})
    path = "/v1/instances/%s/logpdf" % strict["id"]
    body = {"points": [[0, 0, 0]]}
    r = api.post(path, body, token=alice)
    refused(r, "t")
    r = api.post(path + "?t=0.5", body, token=alice)
    assert r.status == 200, r
    assert r.json["logpdf"][0] == pytest.approx(-1.5 * np.log(2 * np.pi))


def test_logpdf_finite_near_the_square_overflow(api, alice):
    """|x|^2 overflows a double from |x| ~ 1.34e154 although -|x|^2 / 2
    is finite up to ~1.9e154 (MATH.md: the standard normal)."""
    inst = api.new_instance(alice, family="gaussian", dim=2)
    x = [[1.5e154, 0.0], [1e154, 1e154]]
    r = api.post("/v1/instances/%s/logpdf" % inst["id"], {"points": x},
                 token=alice)
    assert r.status == 200, r
    want = [-0.5 * 1.5e154 * 1.5e154 - np.log(2 * np.pi),
            -1e154 * 1e154 - np.log(2 * np.pi)]
    for got, w in zip(r.json["logpdf"], want):
        assert got is not None and got == pytest.approx(w, rel=1e-15)


def test_pancakes_logpdf_finite_near_the_square_overflow(api, alice):
    inst = api.new_instance(alice, family="pancakes", dim=4, gamma=2.0,
                            sigma=0.1)
    r = api.post("/v1/instances/%s/logpdf" % inst["id"],
                 {"points": [[1.5e154, 0, 0, 0]]}, token=alice)
    assert r.status == 200, r
    got = r.json["logpdf"][0]
    assert got is not None and np.isfinite(got) and got < -1e308
