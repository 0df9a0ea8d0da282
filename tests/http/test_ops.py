"""Operations: /healthz, /readyz, /v1/info, /v1/openapi.yaml, /metrics and the
access log."""
import os
import re

import yaml


def test_healthz(api):
    r = api.get("/healthz")
    assert r.status == 200 and r.json == {"status": "ok"}


def test_readyz_names_the_store(api):
    r = api.get("/readyz")
    assert r.status == 200, r
    want = "postgresql" if os.environ.get("SCORACLE_HTTP_STORE") == "pg" \
        else "sqlite"
    assert r.json == {"status": "ready", "store": want}


def test_metrics_count_store_retries(api):
    text = api.get("/metrics").body.decode()
    assert re.search(r'^scoracle_store_retries_total\{backend="[a-z]+"\} '
                     r'\d+$', text, re.M), text[-400:]


def test_info(api):
    r = api.get("/v1/info")
    assert r.status == 200
    info = r.json
    assert info["name"] == "scoracle" and info["api"] == "v1"
    assert info["version"] == "0.1.0"
    assert "gaussian" in info["families"] and "pancakes" in info["families"]
    assert info["kinds"] == ["distinguish", "recover", "score", "density",
                             "posterior"]
    assert info["registration"] == "open"
    limits = info["limits"]
    assert limits["max_body_bytes"] == 64 * 1024 * 1024
    assert limits["max_points"] == 2 ** 24 and limits["max_dim"] == 4096


def test_openapi_is_served_as_yaml(api):
    r = api.get("/v1/openapi.yaml")
    if r.status == 404:
        # Until proto/openapi.yaml exists the server says so plainly.
        assert r.content_type == "application/problem+json"
        return
    assert r.status == 200 and "yaml" in r.content_type
    doc = yaml.safe_load(r.body)
    assert doc["openapi"].startswith("3.1")
    assert "/v1/instances" in doc["paths"]


def metric(text, name, **labels):
    """The value of one sample line, 0 when absent."""
    want = ",".join('%s="%s"' % kv for kv in labels.items())
    pat = re.compile(r"^%s\{(.*)\} (\S+)$" % re.escape(name), re.M)
    for m in pat.finditer(text):
        if set(want.split(",")) <= set(m.group(1).split(",")):
            return float(m.group(2))
    return 0.0


def test_metrics_move(api):
    tok, _ = api.new_player()
    inst = api.new_instance(tok, family="gaussian", dim=2,
                            budget={"samples": 3, "score": None,
                                    "logpdf": None})
    before = api.get("/metrics").body.decode()
    assert api.post("/v1/instances/%s/samples" % inst["id"], {"n": 3},
                    token=tok).status == 200
    assert api.post("/v1/instances/%s/samples" % inst["id"], {"n": 1},
                    token=tok).status == 429
    r = api.get("/metrics")
    assert r.status == 200 and r.content_type == "text/plain"
    after = r.body.decode()
    route = "/v1/instances/{id}/samples"
    for status, moved in (("200", 1), ("429", 1)):
        key = dict(route=route, status=status)
        assert metric(after, "scoracle_requests_total", **key) - \
            metric(before, "scoracle_requests_total", **key) == moved
    assert metric(after, "scoracle_oracle_points_total", meter="samples") - \
        metric(before, "scoracle_oracle_points_total", meter="samples") == 3
    assert metric(after, "scoracle_budget_refusals_total", meter="samples") - \
        metric(before, "scoracle_budget_refusals_total", meter="samples") == 1
    count = metric(after, "scoracle_request_duration_seconds_count",
                   route=route)
    inf = metric(after, "scoracle_request_duration_seconds_bucket",
                 route=route, le="+Inf")
    assert count >= 2 and count == inf
    assert "# TYPE scoracle_request_duration_seconds histogram" in after


def test_access_log_lines(server, api):
    tok, me = api.new_player()
    inst = api.new_instance(tok, family="pancakes", dim=3, gamma=2.0,
                            sigma=0.1)
    api.post("/v1/instances/%s/samples" % inst["id"], {"n": 4}, token=tok)
    reveal = api.post("/v1/instances/%s/reveal" % inst["id"], token=tok).json
    api.get("/v1/instances/%s" % inst["id"], token="wrong-token-value")
    lines = server.log_lines()
    text = open(server.log_path).read()
    # Never a token, a salt or a secret number in the log.
    for secret in [tok, server.admin_token, reveal["salt"],
                   repr(reveal["secret"]["u"][0])]:
        assert secret not in text
    assert "wrong-token-value" not in text
    samples = [ln for ln in lines
               if ln["route"] == "/v1/instances/{id}/samples"
               and ln["player"] == me["id"]]
    assert samples and samples[-1]["points"] == 4
    assert samples[-1]["status"] == 200 and samples[-1]["method"] == "POST"
    assert set(samples[-1]) == {"ts", "method", "route", "status", "ms",
                                "points", "player"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", samples[-1]["ts"])
    unauth = [ln for ln in lines if ln["status"] == 401]
    assert unauth and unauth[-1]["player"] is None


def test_cors_lets_a_page_of_any_origin_call_the_api(api):
    """The JS client works from a browser page: every answer allows any
    origin, and a preflight of a known path says what a page may send,
    without a token (browsers send none on a preflight)."""
    tok, _ = api.new_player()
    inst = api.new_instance(tok, family="gaussian", dim=2)
    path = "/v1/instances/%s/score" % inst["id"]
    r = api.request("OPTIONS", path, headers={
        "Origin": "https://example.org",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert r.status == 204 and r.body == b""
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    allowed = r.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed and "content-type" in allowed
    r = api.post(path, {"points": [[1.0, 2.0]]}, token=tok,
                 headers={"Origin": "https://example.org"})
    assert r.status == 200
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in r.headers["Access-Control-Expose-Headers"]
    # Errors carry it too, so a page can read the problem details.
    r = api.get("/v1/players/me")
    assert r.status == 401
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert api.request("OPTIONS", "/v1/nowhere").status == 404
