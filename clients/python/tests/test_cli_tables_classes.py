"""The scoracle command: tables that fit the terminal (nested members
summarised), -f json for every command, private challenges, and the class
commands an instructor and students use."""

import os

import pytest

# scoracle_live first: it puts clients/python on sys.path.
from scoracle_live import live  # noqa: F401
from test_cli import env, jrun, run  # noqa: F401

WIDTH = 72


def lines_fit(text, width=WIDTH):
    return all(len(line) <= width for line in text.splitlines())


def test_tables_fit_the_terminal(env):  # noqa: F811
    narrow = dict(env, COLUMNS=str(WIDTH))
    for args in (["info"], ["me"], ["leaderboard"], ["challenge", "list"]):
        out = run(args, narrow).stdout.decode()
        assert lines_fit(out), (args, out)
    info = run(["info"], narrow).stdout.decode()
    assert "presets" in info and "items]" in info
    ch = jrun(["challenge", "create", "score", "--family", "pancakes",
               "-p", "dim=4", "-p", "gamma=3", "-p", "sigma=0.2",
               "--rounds", "3", "--private"], env)
    assert ch["public"] is False and ch["round_count"] == 3
    show = run(["challenge", "show", ch["id"]], narrow).stdout.decode()
    assert lines_fit(show) and ch["id"] in show
    assert show.count("in_") >= 3  # one line per round
    full = jrun(["challenge", "show", ch["id"], "--eval"], env)
    assert len(full["rounds"][0]["eval"]["points"]) > 0


def test_rounds_default_to_the_preset(env):  # noqa: F811
    ch = jrun(["challenge", "create", "distinguish", "--preset",
               "pancakes-easy"], env)
    presets = {p["name"]: p for p in jrun(["info"], env)["presets"]}
    assert ch["round_count"] == presets["pancakes-easy"].get("rounds", 20)


@pytest.fixture
def teacher(env, live):  # noqa: F811
    out = jrun(["--token", live.admin_token, "register",
                "teach-" + os.urandom(4).hex(), "--role", "instructor"], env)
    return dict(env, SCORACLE_TOKEN=out["token"])


def test_class_commands(env, teacher, live, tmp_path):  # noqa: F811
    k = jrun(["class", "create", "Lab 3"], teacher)
    assert jrun(["class", "code", k["id"]], teacher)["join_code"] == \
        k["join_code"]
    listed = run(["class", "list"], dict(teacher, COLUMNS=str(WIDTH)))
    assert k["id"] in listed.stdout.decode()
    # A new student joins and saves their token; the env's player joins
    # as themselves.
    cfg = tmp_path / "student.ini"
    fresh = {"SCORACLE_CONFIG": str(cfg), "SCORACLE_URL": live.base_url}
    new = jrun(["class", "join", k["join_code"], "--name",
                "stu-" + os.urandom(4).hex(), "--save"], fresh)
    assert new["token"] in cfg.read_text()
    me = jrun(["class", "join", k["join_code"]], env)
    assert "token" not in me
    a = jrun(["class", "assign", k["id"], "distinguish", "--preset",
              "gmm-easy", "--rounds", "2", "--title", "Week 3",
              "--deadline", "2999-01-01T00:00:00Z"], teacher)
    assert a["title"] == "Week 3" and len(a["challenges"]) == 2
    mine = [c for c in a["challenges"] if c["player"] == me["id"]][0]
    run(["challenge", "answer", mine["challenge"], "0", "--guess",
         "planted"], env)
    res = run(["class", "results", k["id"]], teacher).stdout.decode()
    assert "1/2" in res and "0/2" in res
    csv_text = run(["-f", "csv", "class", "results", k["id"]],
                   teacher).stdout.decode()
    assert csv_text.startswith("assignment,player")
    full = jrun(["class", "show", k["id"]], teacher)
    assert full["assignments"][0]["title"] == "Week 3"
    rotated = jrun(["class", "code", k["id"], "--rotate"], teacher)
    assert rotated["join_code"] != k["join_code"]
    # Without a name or a token there is no one to enrol.
    nobody = {"SCORACLE_CONFIG": str(tmp_path / "none.ini"),
              "SCORACLE_URL": live.base_url}
    p = run(["class", "join", rotated["join_code"]], nobody, check=False)
    assert p.returncode == 2 and b"--name" in p.stderr
