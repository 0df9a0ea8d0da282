"""Rate limits per client address (issue 11): registrations without a
token, class joins and failed authentications are token buckets; past
one the answer is 429 rate-limited with Retry-After, and /v1/info shows
the limits.  Behind --trusted-proxy the address is the last one of
X-Forwarded-For.  Each case runs its own server with small buckets."""
import http.client
import json

import pytest

from conftest import ADMIN_TOKEN, start_server
from openapi_check import validate_response

PROBLEM = "application/problem+json"


def call(srv, method, path, body=None, token=None, source="127.0.0.1",
         headers=None):
    """One request from a chosen loopback source address: (status,
    headers, decoded body)."""
    host, port = srv.base_url.split("//")[1].rsplit(":", 1)
    c = http.client.HTTPConnection(host, int(port), timeout=30,
                                   source_address=(source, 0))
    hdrs = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        hdrs["Content-Type"] = "application/json"
    if token is not None:
        hdrs["Authorization"] = "Bearer " + token
    try:
        c.request(method, path, body=data, headers=hdrs)
        r = c.getresponse()
        raw = r.read()
        return r.status, r, json.loads(raw) if raw else None
    finally:
        c.close()


def assert_limited(status, resp, body, method, path):
    assert status == 429, body
    assert resp.getheader("Content-Type") == PROBLEM
    assert body["type"].endswith(":rate-limited")
    assert int(resp.getheader("Retry-After")) >= 1
    validate_response(method, path, status, body)


@pytest.fixture
def server_with():
    started = []

    def start(*args):
        srv = start_server(args=list(args))
        started.append(srv)
        return srv
    yield start
    for srv in started:
        assert srv.stop() == 0


def register(srv, name, **kw):
    return call(srv, "POST", "/v1/players", {"name": name}, **kw)


def test_registration_is_limited_per_address(server_with):
    srv = server_with("--rate-register", "3")
    for i in range(3):
        assert register(srv, "r%d" % i)[0] == 201
    assert_limited(*register(srv, "r3"), "post", "/v1/players")
    # A failed attempt counts too: still refused, nothing created.
    assert register(srv, "r3")[0] == 429
    # Another address has its own bucket; an admin is not limited.
    assert register(srv, "s0", source="127.0.0.2")[0] == 201
    assert register(srv, "a0", token=ADMIN_TOKEN)[0] == 201


def test_class_joins_are_limited_per_address(server_with):
    srv = server_with("--rate-join", "2")
    st, _, cls = call(srv, "POST", "/v1/classes", {"name": "c"},
                      token=ADMIN_TOKEN)
    assert st == 201
    code = cls["join_code"]
    assert call(srv, "POST", "/v1/classes/join",
                {"code": code, "name": "j0"})[0] == 201
    # A wrong code is an attempt as well: guessing codes is what this
    # limit stops.
    assert call(srv, "POST", "/v1/classes/join",
                {"code": "WRONG-CODE", "name": "j1"})[0] == 404
    assert_limited(*call(srv, "POST", "/v1/classes/join",
                         {"code": code, "name": "j2"}),
                   "post", "/v1/classes/join")
    assert call(srv, "POST", "/v1/classes/join",
                {"code": code, "name": "j3"}, source="127.0.0.2")[0] == 201


def test_failed_authentication_is_limited_per_address(server_with):
    srv = server_with("--rate-auth", "3")
    st, _, me = register(srv, "good")
    assert st == 201
    for _ in range(3):
        assert call(srv, "GET", "/v1/players/me", token="guess")[0] == 401
    # No more guesses from here: even a right token waits, so a guess
    # cannot be told from a miss.
    assert_limited(*call(srv, "GET", "/v1/players/me", token="guess"),
                   "get", "/v1/players/me")
    assert_limited(*call(srv, "GET", "/v1/players/me", token=me["token"]),
                   "get", "/v1/players/me")
    # Successes take nothing, and other addresses are untouched.
    st, _, body = call(srv, "GET", "/v1/players/me", token=me["token"],
                       source="127.0.0.2")
    assert st == 200 and body["name"] == "good"


def test_trusted_proxy_counts_the_forwarded_address(server_with):
    srv = server_with("--rate-register", "2", "--trusted-proxy",
                      "127.0.0.1")
    fwd = {"X-Forwarded-For": "198.51.100.7, 203.0.113.9"}
    assert register(srv, "p0", headers=fwd)[0] == 201
    assert register(srv, "p1", headers=fwd)[0] == 201
    assert register(srv, "p2", headers=fwd)[0] == 429
    other = {"X-Forwarded-For": "203.0.113.10"}
    assert register(srv, "p3", headers=other)[0] == 201
    # Only the proxy's header is believed: 127.0.0.2 forging one counts
    # as itself.
    assert register(srv, "q0", source="127.0.0.2", headers=fwd)[0] == 201
    assert register(srv, "q1", source="127.0.0.2", headers=fwd)[0] == 201
    assert register(srv, "q2", source="127.0.0.2", headers=other)[0] == 429


def register_two_forwarded(srv, name, forged, real):
    """POST /v1/players with two X-Forwarded-For lines, as a proxy that
    appends its own line sends it: the client's forged one first."""
    host, port = srv.base_url.split("//")[1].rsplit(":", 1)
    c = http.client.HTTPConnection(host, int(port), timeout=30)
    data = json.dumps({"name": name}).encode()
    try:
        c.putrequest("POST", "/v1/players")
        c.putheader("Content-Type", "application/json")
        c.putheader("Content-Length", str(len(data)))
        c.putheader("X-Forwarded-For", forged)
        c.putheader("X-Forwarded-For", real)
        c.endheaders(data)
        r = c.getresponse()
        r.read()
        return r.status
    finally:
        c.close()


def test_trusted_proxy_believes_only_its_own_forwarded_line(server_with):
    """A client that forges a fresh X-Forwarded-For line each time gets no
    fresh bucket: only the last line, the proxy's, is read."""
    srv = server_with("--rate-register", "2", "--trusted-proxy",
                      "127.0.0.1")
    got = [register_two_forwarded(srv, "f%d" % i, "192.0.2.%d" % i,
                                  "203.0.113.50") for i in range(3)]
    assert got == [201, 201, 429]


def test_info_shows_the_limits(server_with):
    srv = server_with("--rate-register", "7", "--rate-join", "0",
                      "--rate-auth", "9", "--header-timeout", "11",
                      "--body-timeout", "13", "--per-net-limit", "17")
    st, _, info = call(srv, "GET", "/v1/info")
    assert st == 200
    validate_response("get", "/v1/info", st, info)
    assert info["rate_limits"] == {
        "register_per_minute": 7, "join_per_minute": 0,
        "auth_failures_per_minute": 9, "connections_per_address": 256,
        "connections_per_network": 17, "header_timeout_seconds": 11,
        "body_timeout_seconds": 13}


def test_zero_turns_a_limit_off(server_with):
    srv = server_with("--rate-register", "0")
    for i in range(80):
        assert register(srv, "z%d" % i)[0] == 201
