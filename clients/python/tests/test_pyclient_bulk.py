"""The Python client's bulk calls against a server with small limits:
score, logpdf and samples larger than one request are split by /v1/info's
limits (with progress), joined in order, and a 413 arrives as
PayloadTooLarge; Client() finds its server and token as the CLI does."""

import math
import shutil

import numpy as np
import pytest

# scoracle_live first: it puts clients/python on sys.path.
from scoracle_live import liveserver, validator  # noqa: F401
import scoracle
from scoracle import config

MAX_BODY = 64 * 1024
MAX_JSON = 32 * 1024


@pytest.fixture(scope="module")
def small():
    srv = liveserver.start_server(args=("--max-body", str(MAX_BODY),
                                        "--max-json-body", str(MAX_JSON)))
    yield srv
    srv.stop()
    shutil.rmtree(srv.state_dir, ignore_errors=True)


def player(url, validator, **kw):
    c = scoracle.Client(url, None, on_response=validator, **kw)
    c.register("bulk-" + np.random.default_rng().bytes(5).hex())
    return c


@pytest.mark.parametrize("numpy", [True, False])
def test_score_and_logpdf_split_by_the_limits(small, validator, numpy):
    seen = []
    c = player(small.base_url, validator, numpy=numpy,
               progress=lambda *a: seen.append(a))
    inst = c.create_instance("gaussian", dim=16)
    rng = np.random.default_rng(7)
    x = rng.standard_normal((3000, 16))  # 384 KB as NPY: six bodies
    pts = x if numpy else x.tolist()
    s = np.asarray(c.score(inst["id"], pts))
    assert s.shape == (3000, 16) and np.array_equal(s, -x)
    lp = np.asarray(c.logpdf(inst["id"], pts))
    want = -0.5 * (x * x).sum(axis=1) - 8 * math.log(2 * math.pi)
    assert lp.shape == (3000,) and np.allclose(lp, want, rtol=1e-14)
    assert [a[0] for a in seen if a[2] == 3000] != []
    assert seen[-1] == ("logpdf", 3000, 3000)
    assert all(done <= total for _, done, total in seen)
    assert c.instance(inst["id"])["used"]["score"] == 3000


def test_json_calls_split_too(small, validator):
    c = player(small.base_url, validator, numpy=False)
    inst = c.create_instance("gaussian", dim=4)
    x = [[float(i), 0.5, -1.0, 2.0] for i in range(2000)]
    s = c.score(inst["id"], x, npy_mode=False)
    assert [r[0] for r in s] == [-float(i) for i in range(2000)]


def test_samples_split_past_max_samples(small, validator):
    """A server that published max_samples = 1000 (this client is told
    so) gets 2500 samples asked in three requests, the stream continuing
    from one to the next."""
    seen = []
    c = player(small.base_url, validator, progress=lambda *a: seen.append(a))
    c._limits = dict(c.limits(), max_samples=1000)
    inst = c.create_instance("gaussian", dim=3)
    x = c.samples(inst["id"], 2500)
    assert x.shape == (2500, 3)
    assert [a[1] for a in seen] == [1000, 2000, 2500]
    assert len({tuple(r) for r in x}) == 2500
    assert c.instance(inst["id"])["used"]["samples"] == 2500


def test_a_413_is_reported_as_such(small, validator):
    c = player(small.base_url, validator)
    inst = c.create_instance("gaussian", dim=8)
    body = scoracle.npy.encode(np.zeros((20000, 8)))
    with pytest.raises(scoracle.PayloadTooLarge) as e:
        c.request("POST", "/v1/instances/%s/score" % inst["id"], raw=body,
                  content_type="application/x-npy")
    assert e.value.status == 413


def test_create_challenge_sends_rounds_only_when_asked(small, validator):
    c = player(small.base_url, validator)
    sent = []
    inner = c.request

    def spy(method, path, **kw):
        sent.append(kw.get("json_body"))
        return inner(method, path, **kw)

    c.request = spy
    ch = c.create_challenge("distinguish", preset="pancakes-easy")
    assert "rounds" not in sent[-1]
    preset = [p for p in c.info()["presets"]
              if p["name"] == "pancakes-easy"][0]
    assert ch["round_count"] == preset.get("rounds", 20)
    ch = c.create_challenge("distinguish", preset="pancakes-easy", rounds=3)
    assert sent[-1]["rounds"] == 3 and ch["round_count"] == 3


def test_client_reads_the_cli_settings(small, tmp_path, monkeypatch):
    path = tmp_path / "config.ini"
    monkeypatch.setenv("SCORACLE_CONFIG", str(path))
    monkeypatch.delenv("SCORACLE_URL", raising=False)
    monkeypatch.delenv("SCORACLE_TOKEN", raising=False)
    boot = scoracle.Client(small.base_url)
    token = boot.register("cfg-" + np.random.default_rng().bytes(5).hex())
    config.save_config(str(path), url=small.base_url, token=token["token"])
    c = scoracle.Client()
    assert c.url == small.base_url and c.me()["id"] == token["id"]
    # The saved token goes with the saved server only.
    assert scoracle.Client(small.base_url + "/").token == token["token"]
    assert scoracle.Client("http://127.0.0.1:9").token is None
    monkeypatch.setenv("SCORACLE_URL", "http://127.0.0.1:9")
    assert scoracle.Client().url == "http://127.0.0.1:9"
    monkeypatch.setenv("SCORACLE_TOKEN", "from-env")
    assert scoracle.Client().token == "from-env"
