"""The scoracle command (python3 -m scoracle) against a live server."""

import csv
import io
import json
import os
import subprocess
import sys

import numpy as np
import pytest

# scoracle_live first: it puts clients/python on sys.path.
from scoracle_live import HERE, live, vectors  # noqa: F401
import scoracle

PY = sys.executable


def run(args, env, check=True, stdin=None):
    e = dict(os.environ)
    e.pop("SCORACLE_TOKEN", None)
    e.pop("SCORACLE_URL", None)
    e["PYTHONPATH"] = str(HERE.parent)
    e.update(env)
    p = subprocess.run([PY, "-m", "scoracle", *args], env=e,
                       capture_output=True, input=stdin, timeout=120)
    if check:
        assert p.returncode == 0, p.stderr.decode()
    return p


@pytest.fixture
def env(live, tmp_path):
    """A config file holding the server URL and a fresh player's token,
    written by `scoracle register --save`."""
    cfg = tmp_path / "config.ini"
    e = {"SCORACLE_CONFIG": str(cfg), "SCORACLE_URL": live.base_url}
    p = run(["-f", "json", "register", "cli-" + os.urandom(5).hex(),
             "--save"], e)
    out = json.loads(p.stdout)
    assert "token saved" in p.stderr.decode()
    text = cfg.read_text()
    assert out["token"] in text and live.base_url in text
    assert oct(cfg.stat().st_mode & 0o777) == "0o600"
    # From here on the config file alone says where and who.
    return {"SCORACLE_CONFIG": str(cfg)}


def jrun(args, env):
    return json.loads(run(["-f", "json", *args], env).stdout)


def test_info_and_me(env):
    assert jrun(["info"], env)["api"] == "v1"
    me = jrun(["me"], env)
    assert me["role"] == "player"
    table = run(["me"], env).stdout.decode()
    assert "role" in table and "player" in table
    # Global options work after the command too.
    assert json.loads(run(["me", "-f", "json"], env).stdout) == me


def test_flags_and_environment_override_the_config(env, live, tmp_path):
    me = jrun(["me"], env)
    other = scoracle.Client(live.base_url)
    other.register("cli-o-" + os.urandom(4).hex())
    by_env = jrun(["me"], dict(env, SCORACLE_TOKEN=other.token))
    assert by_env["id"] != me["id"]
    by_flag = jrun(["--token", other.token, "me"], env)
    assert by_flag["id"] == by_env["id"]
    p = run(["--url", "http://127.0.0.1:1", "me"], env, check=False)
    assert p.returncode == 1 and b"TransportError" in p.stderr


def test_a_token_that_begins_with_a_dash_is_a_value(env):
    """base64url tokens begin with '-' one time in 64: "--token -x..." must
    reach the server (401 for this made-up one), not fail to parse."""
    p = run(["--token", "-made-up-token-value", "me"], env, check=False)
    assert p.returncode == 1, p.stderr
    assert b"Unauthorized" in p.stderr


def test_create_sample_score_logpdf_reveal(env, tmp_path):
    inst = jrun(["create", "pancakes", "-p", "dim=3", "-p", "gamma=4",
                 "-p", "sigma=0.1", "--budget", "samples=5000"], env)
    assert inst["budget"]["samples"] == 5000
    assert jrun(["show", inst["id"]], env)["id"] == inst["id"]
    # A long draw in chunks shows its progress on stderr.
    out = tmp_path / "x.npy"
    p = run(["-f", "npy", "-o", str(out), "sample", inst["id"], "-n", "3000",
             "--chunk", "1000"], env)
    assert b"samples 3000/3000 (100%)" in p.stderr
    x = np.load(out)
    assert x.shape == (3000, 3)
    assert jrun(["show", inst["id"]], env)["used"]["samples"] == 3000
    # score from the NPY file, as CSV
    p = run(["-f", "csv", "score", inst["id"], str(out), "-t", "0.2"], env)
    rows = list(csv.reader(io.StringIO(p.stdout.decode())))
    assert rows[0] == ["x0", "x1", "x2"] and len(rows) == 3001
    s_csv = np.array(rows[1:], dtype=float)
    # logpdf from a CSV file, as JSON, equals the library's answer
    pts = tmp_path / "p.csv"
    np.savetxt(pts, x[:10], delimiter=",")
    lp = jrun(["logpdf", inst["id"], str(pts)], env)
    c = scoracle.Client(_url(env), _token(env))
    assert np.allclose(lp, c.logpdf(inst["id"], np.loadtxt(
        pts, delimiter=",")), rtol=1e-15, atol=0)
    assert np.array_equal(s_csv[:10], c.score(inst["id"], x[:10], t=0.2))
    # inline JSON points and the table format
    table = run(["score", inst["id"], "[[0, 0, 0]]"], env).stdout.decode()
    assert table.splitlines()[0].split() == ["x0", "x1", "x2"]
    # reveal checks the commitment, and the saved reveal verifies offline
    p = run(["-f", "json", "-o", str(tmp_path / "r.json"), "reveal",
             inst["id"]], env)
    assert b"opens" in p.stderr
    rev = json.loads((tmp_path / "r.json").read_text())
    v = jrun(["verify", "commitment", str(tmp_path / "r.json"), "--id",
              inst["id"]], env)
    assert v["verified"] and v["secret"] == rev["secret"]
    rev["secret"]["u"][0] += 1e-12
    (tmp_path / "bad.json").write_text(json.dumps(rev))
    p = run(["verify", "commitment", str(tmp_path / "bad.json"), "--id",
             inst["id"]], env, check=False)
    assert p.returncode == 1 and b"VerificationError" in p.stderr


def _cfg(env):
    from scoracle.config import read_config
    return read_config(env["SCORACLE_CONFIG"])


def _url(env):
    return _cfg(env)["url"]


def _token(env):
    return _cfg(env)["token"]


def test_errors_exit_nonzero_with_the_problem(env):
    p = run(["show", "in_" + "0" * 24], env, check=False)
    assert p.returncode == 1 and b"NotFound" in p.stderr
    p = run(["create", "pancakes", "-p", "dim=2", "-p", "gamma=6", "-p",
             "sigma=-1"], env, check=False)
    assert p.returncode == 1 and b"sigma" in p.stderr
    inst = jrun(["create", "gaussian", "-p", "dim=2", "--budget",
                 "samples=2"], env)
    p = run(["sample", inst["id"], "-n", "3"], env, check=False)
    assert p.returncode == 1 and b"BudgetExhausted" in p.stderr
    assert b'"samples": 2' in p.stderr
    p = run(["-f", "npy", "me"], env, check=False)
    assert p.returncode == 2


def test_verify_f_offline(vectors):
    v = vectors["owf_f"]
    case = v["cases"][1]
    out = json.loads(run(["-f", "json", "verify", "f", v["f_key"],
                          case["seed_hex"], "--seed-bits",
                          str(case["seed_bits"]), "--image-bits",
                          str(case["image_bits"])], {}).stdout)
    assert out["f"] == "".join(str(b) for b in case["f"])


def test_challenge_play_finish_and_verify(env, tmp_path):
    ch = jrun(["challenge", "create", "distinguish", "--family", "pancakes",
               "-p", "dim=4", "-p", "gamma=3", "-p", "sigma=0.05",
               "--rounds", "3"], env)
    listed = run(["challenge", "list"], env).stdout.decode()
    assert ch["id"] in listed
    view_path = tmp_path / "ch.json"
    run(["-f", "json", "-o", str(view_path), "challenge", "show", ch["id"]],
        env)
    run(["challenge", "answer", ch["id"], "0", "--guess", "planted"], env)
    p = run(["challenge", "answer", ch["id"], "0", "--guess", "null"], env,
            check=False)
    assert p.returncode == 1 and b"Conflict" in p.stderr
    fin_path = tmp_path / "fin.json"
    p = run(["-f", "json", "-o", str(fin_path), "challenge", "finish",
             ch["id"]], env)
    assert b"challenge commitment" in p.stderr
    assert b"receipt signature verifies" in p.stderr
    out = jrun(["verify", "challenge", str(view_path), str(fin_path)], env)
    assert out["verified"] and len(out["planted"]) == 3
    payload = jrun(["verify", "receipt", str(fin_path)], env)
    assert payload["challenge"] == ch["id"]
    # Offline: the key given, no server asked.
    key = jrun(["info"], env)["receipt_key"]
    offline = jrun(["--url", "http://127.0.0.1:1", "verify", "receipt",
                    str(fin_path), "--key", key], env)
    assert offline == payload
    dens = jrun(["challenge", "create", "density", "--family", "pancakes",
                 "-p", "dim=3", "-p", "gamma=3", "-p", "sigma=0.3",
                 "--rounds", "1"], env)
    out = jrun(["challenge", "answer", dens["id"], "0", "--oracle"], env)
    assert out["status"] == "finished"
    assert out["result"]["pac_fraction"] == 1.0
    preset = jrun(["challenge", "create", "distinguish", "--preset",
                   "pancakes-easy", "--rounds", "2"], env)
    assert preset["preset"] == "pancakes-easy"
    board = run(["leaderboard", "--kind", "distinguish"], env)
    assert board.returncode == 0
