"""The Python client against a live server: every operation it wraps and
every error class it maps, each answer validated against openapi.yaml."""

import math
import os
import pathlib
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

# scoracle_live first: it puts clients/python on sys.path.
from scoracle_live import (admin, client, live,  # noqa: F401
                           liveserver, make_client, validator)
import scoracle


def pancakes_score(u, gamma, sigma, x, t):
    """docs/MATH.md section 1, computed here independently of the
    server: the score of pancakes with direction u at OU time t."""
    k = np.arange(-80, 81)
    lw = -math.pi * k ** 2 / gamma ** 2
    mu = math.exp(-t) * math.sqrt(2 * math.pi) * k / (
        gamma * math.sqrt(1 + sigma ** 2))
    v = 1 - math.exp(-2 * t) / (1 + sigma ** 2)
    z = x @ u
    a = lw - (z[:, None] - mu) ** 2 / (2 * v)
    r = np.exp(a - a.max(axis=1, keepdims=True))
    r /= r.sum(axis=1, keepdims=True)
    dz = (r * (mu - z[:, None])).sum(axis=1) / v
    return -(x - z[:, None] * u) + dz[:, None] * u


def test_ops_endpoints(make_client, validator):
    c = make_client(register=False)
    assert c.healthz() == {"status": "ok"}
    info = c.info()
    assert info["api"] == "v1"
    assert {"gaussian", "pancakes", "gmm", "owf"} <= set(info["families"])
    assert "# TYPE" in c.metrics()
    assert validator.seen > 0


def test_openapi_document(make_client):
    text = make_client(register=False).openapi()
    assert text.lstrip().startswith("openapi:")


def test_register_and_me(make_client):
    c = make_client(register=False)
    name = "reg-" + np.random.default_rng().bytes(4).hex()
    out = c.register(name)
    assert out["name"] == name and out["role"] == "player"
    assert c.token == out["token"]
    assert c.me()["id"] == out["id"]
    with pytest.raises(scoracle.Conflict):
        make_client(register=False).register(name)


def test_instructor_needs_a_privileged_token(make_client, admin):
    with pytest.raises((scoracle.Forbidden, scoracle.Unauthorized)):
        make_client().register("i-" + np.random.default_rng().bytes(4).hex(),
                               role="instructor")
    out = admin.register("i-" + np.random.default_rng().bytes(4).hex(),
                         role="instructor")
    assert out["role"] == "instructor"
    assert admin.token != out["token"]


def test_bad_token_is_unauthorized(make_client):
    c = make_client(token="not-a-real-token-0123456789")
    with pytest.raises(scoracle.Unauthorized) as e:
        c.me()
    assert e.value.status == 401


@pytest.mark.parametrize("family,params", [
    ("gaussian", {"dim": 3}),
    ("pancakes", {"dim": 4, "gamma": 6, "sigma": 0.05}),
    ("gmm", {"dim": 3, "components": 2}),
    ("owf", {"seed_bits": 4, "image_bits": 4}),
])
def test_each_family_through_every_oracle(client, family, params):
    inst = client.create_instance(family, **params)
    assert inst["family"] == family and inst["status"] == "open"
    assert client.instance(inst["id"])["commitment"] == inst["commitment"]
    x = client.samples(inst["id"], 5)
    assert x.shape == (5, inst["dim"])
    assert client.score(inst["id"], x, t=0.3).shape == x.shape
    lp = client.logpdf(inst["id"], x, t=0.3)
    assert lp.shape == (5,) and np.all(np.isfinite(lp))
    rev = client.reveal(inst["id"])
    assert scoracle.open_instance(inst["id"], rev, inst["commitment"]) == \
        rev["secret"]
    assert client.instance(inst["id"])["status"] == "revealed"
    with pytest.raises(scoracle.Conflict):
        client.reveal(inst["id"])


def test_json_and_npy_give_the_same_numbers(client):
    inst = client.create_instance("pancakes", dim=3, gamma=4, sigma=0.1)
    x = client.samples(inst["id"], 20, npy_mode=True)
    for op in (client.score, client.logpdf):
        a = op(inst["id"], x, t=0.2, npy_mode=True)
        b = op(inst["id"], x, t=0.2, npy_mode=False)
        assert np.array_equal(a, b)


def test_lists_without_numpy_mode(make_client):
    c = make_client(numpy=False)
    inst = c.create_instance("gaussian", dim=2)
    for mode in (False, True):
        x = c.samples(inst["id"], 3, npy_mode=mode)
        assert isinstance(x, list) and len(x) == 3 and len(x[0]) == 2
        s = c.score(inst["id"], x, npy_mode=mode)
        # The null's exact score is -x.
        assert s == [[-v for v in row] for row in x]
        assert isinstance(c.logpdf(inst["id"], x, npy_mode=mode), list)


def test_without_numpy_installed(live):
    """The package needs only the standard library: with numpy hidden,
    matrices are lists and NPY still travels (pure-Python codec)."""
    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "import scoracle\n"
        "c = scoracle.Client(sys.argv[1])\n"
        "assert not c.numpy\n"
        "c.register('nonp-' + __import__('os').urandom(4).hex())\n"
        "i = c.create_instance('gaussian', dim=2)\n"
        "x = c.samples(i['id'], 3, npy_mode=True)\n"
        "assert isinstance(x, list) and len(x) == 3\n"
        "s = c.score(i['id'], x, npy_mode=True)\n"
        "assert s == [[-v for v in r] for r in x]\n"
        "print('ok')\n")
    p = subprocess.run([sys.executable, "-c", code, live.base_url],
                       capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, PYTHONPATH=str(
                           pathlib.Path(scoracle.__file__).parents[1])))
    assert p.returncode == 0 and p.stdout.strip() == "ok", p.stderr


def test_sample_stream_continues(client):
    inst = client.create_instance("gaussian", dim=2)
    a = client.samples(inst["id"], 4)
    b = client.samples(inst["id"], 4)
    assert not np.any(np.all(a[:, None, :] == b[None, :, :], axis=2))
    assert client.instance(inst["id"])["used"]["samples"] == 8


def test_scores_match_an_independent_computation(client):
    gamma, sigma = 5.0, 0.2
    inst = client.create_instance("pancakes", dim=3, gamma=gamma,
                                  sigma=sigma)
    x = np.random.default_rng(3).standard_normal((16, 3))
    got = {t: client.score(inst["id"], x, t=t) for t in (0.0, 0.5)}
    u = np.asarray(client.reveal(inst["id"])["secret"]["u"])
    for t, s in got.items():
        want = pancakes_score(u, gamma, sigma, x, t)
        assert np.allclose(s, want, rtol=1e-9, atol=1e-9)


def test_budget_exhausted_says_what_is_left(client):
    inst = client.create_instance("gaussian", dim=2,
                                  budget={"samples": 10, "score": 3})
    client.samples(inst["id"], 7)
    with pytest.raises(scoracle.BudgetExhausted) as e:
        client.samples(inst["id"], 4)
    assert e.value.status == 429
    assert e.value.remaining["samples"] == 3
    assert e.value.remaining["logpdf"] is None
    with pytest.raises(scoracle.BudgetExhausted):
        client.score(inst["id"], np.zeros((4, 2)))
    # A refused request spends nothing.
    assert client.instance(inst["id"])["used"] == {
        "samples": 7, "score": 0, "logpdf": 0}
    client.samples(inst["id"], 3)


def test_invalid_parameters_name_the_field(client):
    with pytest.raises(scoracle.InvalidParameters) as e:
        client.create_instance("pancakes", dim=2, gamma=6, sigma=-1)
    assert "sigma" in e.value.field_errors
    with pytest.raises(scoracle.InvalidParameters) as e:
        client.create_instance("nope", dim=2)
    assert "family" in e.value.field_errors
    inst = client.create_instance("gaussian", dim=3)
    with pytest.raises(scoracle.InvalidParameters):
        client.score(inst["id"], [[1.0, 2.0]], npy_mode=False)
    with pytest.raises(scoracle.InvalidParameters):
        client.score(inst["id"], np.array([[1.0, 2.0, np.nan]]),
                     npy_mode=True)
    with pytest.raises(scoracle.InvalidParameters):
        client.samples(inst["id"], 2, t=-1.0)


def test_nan_never_leaves_the_client_as_json(client):
    inst = client.create_instance("gaussian", dim=1)
    with pytest.raises(ValueError):
        client.score(inst["id"], [[float("nan")]], npy_mode=False)


def test_not_found_and_forbidden(make_client):
    alice, bob = make_client(), make_client()
    inst = alice.create_instance("gaussian", dim=2)
    with pytest.raises(scoracle.NotFound):
        alice.instance("in_" + "0" * 24)
    with pytest.raises(scoracle.Forbidden):
        bob.instance(inst["id"])
    with pytest.raises(scoracle.Forbidden):
        bob.samples(inst["id"], 1)


def test_protocol_errors(client):
    with pytest.raises(scoracle.MethodNotAllowed) as e:
        client.request("DELETE", "/v1/instances")
    assert "POST" in e.value.allow
    with pytest.raises(scoracle.UnsupportedMediaType):
        client.request("POST", "/v1/instances", raw=b"x",
                       content_type="text/plain")
    with pytest.raises(scoracle.MalformedRequest):
        client.request("POST", "/v1/instances", raw=b"{",
                       content_type="application/json")
    with pytest.raises(scoracle.NotFound):
        client.request("GET", "/v1/no/such/path")


def test_payload_too_large():
    srv = liveserver.start_server(args=("--max-body", "4096"))
    try:
        c = scoracle.Client(srv.base_url)
        c.register("big")
        inst = c.create_instance("gaussian", dim=64)
        # score splits by the published body cap; a raw body past it is
        # a 413, reported as such.
        assert np.array_equal(c.score(inst["id"], np.ones((64, 64))),
                              -np.ones((64, 64)))
        with pytest.raises(scoracle.PayloadTooLarge):
            c.request("POST", "/v1/instances/%s/score" % inst["id"],
                      raw=scoracle.npy.encode(np.zeros((64, 64))),
                      content_type="application/x-npy")
    finally:
        srv.stop()


class _Flaky(BaseHTTPRequestHandler):
    """Answers 503 with Retry-After: 0 until `fails` runs out, then 200."""
    fails = 0
    calls = 0

    def do_GET(self):
        type(self).calls += 1
        if type(self).fails > 0:
            type(self).fails -= 1
            body = (b'{"type":"urn:scoracle:problem:overloaded",'
                    b'"title":"Overloaded","status":503,"detail":"busy"}')
            self.send_response(503)
            self.send_header("Content-Type", "application/problem+json")
            self.send_header("Retry-After", "0")
        else:
            body = b'{"status":"ok"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_503_is_retried_a_bounded_number_of_times(flaky):
    url = "http://127.0.0.1:%d" % flaky.server_address[1]
    _Flaky.fails, _Flaky.calls = 2, 0
    assert scoracle.Client(url, retries=3).healthz() == {"status": "ok"}
    assert _Flaky.calls == 3
    _Flaky.fails, _Flaky.calls = 10, 0
    with pytest.raises(scoracle.Overloaded) as e:
        scoracle.Client(url, retries=2).healthz()
    assert _Flaky.calls == 3
    assert e.value.retry_after == 0


class _Hangup(BaseHTTPRequestHandler):
    """Keep-alive in name only: answers, then closes without a word, as a
    server does with a connection that idled past its timeout."""
    protocol_version = "HTTP/1.1"
    calls = 0

    def do_GET(self):
        type(self).calls += 1
        body = b'{"status":"ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def log_message(self, *args):
        pass


def test_a_stale_keepalive_connection_is_reopened_once():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Hangup)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        c = scoracle.Client("http://127.0.0.1:%d" % srv.server_address[1],
                            retries=0)
        for _ in range(3):
            assert c.healthz() == {"status": "ok"}
        assert _Hangup.calls == 3
    finally:
        srv.shutdown()
        srv.server_close()


def test_unreachable_server_is_a_transport_error():
    with pytest.raises(scoracle.TransportError):
        scoracle.Client("http://127.0.0.1:1", timeout=2).healthz()


def test_help_documents_every_operation():
    for name in ("register", "me", "create_instance", "instance", "samples",
                 "score", "logpdf", "evaluate", "reveal",
                 "create_challenge",
                 "challenges", "challenge", "answer", "finish",
                 "leaderboard", "create_class", "join_class",
                 "create_assignment", "class_results", "info", "healthz"):
        doc = getattr(scoracle.Client, name).__doc__
        assert doc and len(doc.strip()) > 20, name


def test_every_answer_was_validated(client, validator):
    before = validator.checked
    client.instance(client.create_instance("gaussian", dim=1)["id"])
    assert validator.checked == before + 2


# -- challenges, leaderboard and classes ------------------------------------

def _certificate_guess(c, inst, rng, t=0.01):
    z = rng.standard_normal((64, inst["dim"]))
    s = c.score(inst["id"], z, t=t)
    return "planted" if np.mean(np.sum((s + z) ** 2, axis=1)) > 1.0 \
        else "null"


def test_distinguish_challenge_end_to_end(client, make_client):
    c = client
    rng = np.random.default_rng(5)
    spec = {"family": "pancakes", "dim": 8, "gamma": 3, "sigma": 0.05}
    ch = c.create_challenge("distinguish", spec, rounds=6)
    assert ch["kind"] == "distinguish" and len(ch["commitment"]) == 64
    assert ch["id"] in [x["id"] for x in _listed(c.challenges())]
    view = c.challenge(ch["id"])
    assert len(view["rounds"]) == 6
    other = make_client()
    with pytest.raises((scoracle.Forbidden, scoracle.NotFound)):
        other.challenge(ch["id"])
    with pytest.raises((scoracle.Forbidden, scoracle.NotFound)):
        other.answer(ch["id"], 0, guess="null")
    outs = [c.answer(ch["id"], r["index"],
                     guess=_certificate_guess(c, r["instance"], rng))
            for r in view["rounds"]]
    # The last answer finishes the challenge and carries what finish says.
    assert [o["status"] for o in outs] == ["open"] * 5 + ["finished"]
    fin = outs[-1]
    with pytest.raises(scoracle.Conflict):
        c.answer(ch["id"], 0, guess="null")
    with pytest.raises(scoracle.Conflict):
        c.finish(ch["id"])
    coins = scoracle.open_challenge(view, fin)
    assert len(coins) == 6
    payload = scoracle.verify_receipt(fin["receipt"], c.info()["receipt_key"])
    assert payload["challenge"] == ch["id"]
    assert fin["result"]["accuracy"] == 1.0
    board = c.leaderboard("distinguish")
    assert isinstance(board, (list, dict))


def _listed(out):
    return out["challenges"] if isinstance(out, dict) else out


def test_finish_before_every_round_is_answered(client):
    c = client
    ch = c.create_challenge("distinguish", {"family": "pancakes", "dim": 4,
                                            "gamma": 3, "sigma": 0.05},
                            rounds=3)
    view = c.challenge(ch["id"])
    assert c.answer(ch["id"], 0, guess="planted")["status"] == "open"
    fin = c.finish(ch["id"])
    assert fin["result"]["answered"] == 1
    assert len(scoracle.open_challenge(view, fin)) == 3
    scoracle.verify_receipt(fin["receipt"], c.info()["receipt_key"])
    with pytest.raises(scoracle.Conflict):
        c.answer(ch["id"], 1, guess="planted")
    # Tampering with what was revealed is caught.
    flipped = dict(fin["reveal"])
    flipped["rounds"] = [dict(r, planted=not r["planted"])
                         for r in fin["reveal"]["rounds"]]
    with pytest.raises(scoracle.VerificationError):
        scoracle.open_challenge(view, {"reveal": flipped})
    bad = dict(fin["receipt"])
    bad["payload"] = scoracle.verify.base64.b64encode(b"{}").decode()
    with pytest.raises(scoracle.VerificationError):
        scoracle.verify_receipt(bad, c.info()["receipt_key"])


def test_posterior_challenge_by_brute_force(client):
    c = client
    ch = c.create_challenge("posterior", {"family": "owf", "seed_bits": 6,
                                          "image_bits": 8}, rounds=2)
    view = c.challenge(ch["id"])
    out = None
    for r in view["rounds"]:
        p = r["instance"]["params"]
        for x in range(1 << p["seed_bits"]):
            bits = [(x >> i) & 1 for i in range(p["seed_bits"])]
            if scoracle.inverts(p["f_key"], p["seed_bits"], p["image_bits"],
                                p["delta"], r["y"], seed=bits):
                out = c.answer(ch["id"], r["index"],
                               seed=scoracle.seed_hex(bits))
                break
        else:
            pytest.fail("no preimage for round %d" % r["index"])
    assert out["status"] == "finished"
    assert out["result"]["success_rate"] == 1.0
    scoracle.open_challenge(view, out)


def test_score_and_density_rounds_answered_by_the_oracle(client):
    for kind, op, field in (("score", "score", "scores"),
                            ("density", "logpdf", "logpdf")):
        ch = client.create_challenge(kind, {"family": "pancakes", "dim": 4,
                                            "gamma": 3, "sigma": 0.3},
                                     rounds=1)
        r = client.challenge(ch["id"])["rounds"][0]
        assert "eval" not in r
        ev = client.round_eval(ch["id"], 0)
        inline = client.challenge(ch["id"], eval=True)["rounds"][0]["eval"]
        assert ev["t"] == inline["t"]
        assert np.array_equal(ev["points"], inline["points"])
        ans = client.evaluate(r["instance"]["id"], ev, op)
        assert len(ans) == len(ev["points"])
        out = client.answer(ch["id"], 0, {field: ans})
        assert out["status"] == "finished"
        if kind == "score":
            assert out["result"]["error"] < 1e-12
            assert out["result"]["error_gauss"] > 0
        else:
            assert out["result"]["pac_fraction"] == 1.0


def test_classes_end_to_end(client, admin, make_client):
    teacher = make_client(register=False)
    out = admin.register("teach-" + np.random.default_rng().bytes(4).hex(),
                         role="instructor")
    teacher.token = out["token"]
    klass = teacher.create_class("lattices-101")
    student = make_client(register=False)
    joined = student.join_class(klass["join_code"], "stu-" +
                                np.random.default_rng().bytes(4).hex())
    assert student.token == joined["token"]
    teacher.create_assignment(klass["id"], {
        "kind": "distinguish", "rounds": 2,
        "instance": {"family": "pancakes", "dim": 4, "gamma": 3,
                     "sigma": 0.05}})
    assert len(_listed(student.challenges())) == 1
    results = teacher.class_results(klass["id"])
    assert isinstance(results, (dict, list))
    text = teacher.class_results(klass["id"], csv=True)
    assert isinstance(text, str) and "," in text.splitlines()[0]
    with pytest.raises(scoracle.Forbidden):
        student.class_results(klass["id"])
