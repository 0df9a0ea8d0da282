"""Standings that cannot be bought (issue 8, item 5), end to end: boards
keyed by preset or by a hash of a custom template, one pooled standing
per player per board, the attempt limit (429 + Retry-After), reserved
names, and seasons with a signed manifest whose standings freeze at the
end.  Every standing is recomputed here from its attempts' receipts."""
import datetime
import time

import pytest
from scipy.stats import binom

import gameplay

PROBLEM = "application/problem+json"


def template(gamma):
    """A small custom pancakes template; gamma tells boards apart."""
    return {"family": "pancakes", "dim": 4, "gamma": gamma, "sigma": 0.01,
            "budget": {"samples": 16}}


@pytest.fixture(scope="module")
def info(api):
    return api.get("/v1/info").json


def create(api, token, body, status=201):
    r = api.post("/v1/challenges", body, token=token)
    assert r.status == status, r
    return r


def play(api, token, body, guess="planted"):
    """Creates a distinguish challenge and answers every round; answers
    the finished view."""
    view = create(api, token, body).json
    for rnd in view["rounds"]:
        r = api.post("/v1/challenges/%s/rounds/%d/answer" %
                     (view["id"], rnd["index"]), {"guess": guess},
                     token=token)
        assert r.status == 200, r
    return api.get("/v1/challenges/" + view["id"], token=token).json


def board(api, query):
    r = api.get("/v1/leaderboard?" + query)
    assert r.status == 200, r
    return r.json["boards"]


def check_standing(info, row):
    """The row's pooled distinguish result, recomputed from the signed
    results of its attempts."""
    correct = rounds = 0
    for a in row["challenges"]:
        p = gameplay.verify_receipt(info["receipt_key"], a["receipt"])
        assert p["challenge"] == a["challenge"]
        assert p["player"] == row["player"]
        correct += p["result"]["correct"]
        rounds += p["result"]["rounds"]
    res = row["result"]
    assert row["attempts"] == len(row["challenges"])
    assert res["rounds"] == rounds == row["rounds"]
    assert res["correct"] == correct
    assert res["accuracy"] == pytest.approx(correct / rounds)
    assert res["p_value"] == pytest.approx(binom.sf(correct - 1, rounds,
                                                    0.5), rel=1e-9)


# --- names -----------------------------------------------------------------

@pytest.mark.parametrize("name", ["admin", "Admin", "ad-min", "instructor",
                                  "Scoracle"])
def test_role_names_cannot_be_taken(api, name):
    r = api.post("/v1/players", {"name": name})
    assert r.status == 422 and r.content_type == PROBLEM, r
    assert "reserved" in r.json["detail"]


def test_role_names_cannot_join_a_class(api, admin_token):
    teacher, _ = api.new_player(role="instructor", token=admin_token)
    code = api.post("/v1/classes", {"name": "c"}, token=teacher).json[
        "join_code"]
    r = api.post("/v1/classes/join", {"code": code, "name": "ADMIN"})
    assert r.status == 422, r
    assert api.post("/v1/classes/join", {"code": code,
                                         "name": "admiral"}).status == 201


# --- boards and standings --------------------------------------------------

def test_one_pooled_standing_per_player_per_board(api, info):
    alice, _ = api.new_player()
    bob, _ = api.new_player()
    body = {"kind": "distinguish", "instance": template(2.25), "rounds": 6}
    views = [play(api, alice, body), play(api, alice, body),
             play(api, bob, body)]
    key = views[0]["board"]
    assert key.startswith("custom-") and len(key) == 7 + 32
    assert all(v["board"] == key for v in views)
    boards = board(api, "kind=distinguish&board=" + key)
    assert len(boards) == 1
    b = boards[0]
    assert b["preset"] is None and b["rule"] == "pooled"
    players = [row["player"] for row in b["rows"]]
    assert len(players) == len(set(players)) == 2  # one row each
    for row in b["rows"]:
        check_standing(info, row)
    mine = [row for row in b["rows"] if row["attempts"] == 2]
    assert len(mine) == 1 and mine[0]["rounds"] == 12
    assert {a["challenge"] for a in mine[0]["challenges"]} == \
        {views[0]["id"], views[1]["id"]}
    ranks = [(row["result"]["p_value"], -row["result"]["advantage"])
             for row in b["rows"]]
    assert ranks == sorted(ranks)
    assert [row["rank"] for row in b["rows"]] == [1, 2]


def test_custom_games_never_share_a_board_with_presets(api):
    carol, _ = api.new_player()
    a = play(api, carol, {"kind": "distinguish", "instance": template(2.5),
                          "rounds": 2})
    b = play(api, carol, {"kind": "distinguish", "instance": template(2.75),
                          "rounds": 2})
    c = play(api, carol, {"kind": "distinguish", "rounds": 2,
                          "preset": "pancakes-easy"})
    assert a["board"] != b["board"]
    assert c["board"] == "pancakes-easy"
    # The same parameters with another oracle are another game.
    t = template(2.5)
    t["oracle"] = {"t_min": 0.5}
    d = play(api, carol, {"kind": "distinguish", "instance": t,
                          "rounds": 2})
    assert d["board"] not in (a["board"], b["board"])
    for v in (a, b, d):
        boards = board(api, "kind=distinguish&board=" + v["board"])
        assert [x["board"] for x in boards] == [v["board"]]
        assert boards[0]["preset"] is None
        assert [r["challenge"] for r in boards[0]["rows"]] == [v["id"]]
    presets = board(api, "kind=distinguish&preset=pancakes-easy")
    assert [x["board"] for x in presets] == ["pancakes-easy"]
    for row in presets[0]["rows"]:
        for att in row["challenges"]:
            assert att["challenge"] not in (a["id"], b["id"], d["id"])


def test_a_preset_with_its_own_eval_or_tolerance_is_another_board(api):
    """A looser tolerance (or fewer eval points) makes a preset another
    game: it is ranked on a board of its own, never beside the preset."""
    dora, _ = api.new_player()
    base = {"kind": "density", "preset": "pancakes-easy", "rounds": 1}
    as_is = create(api, dora, base).json["board"]
    looser = create(api, dora, dict(base, tolerance=0.3)).json["board"]
    fewer = create(api, dora, dict(base, eval=8)).json["board"]
    assert as_is == "pancakes-easy"
    assert looser.startswith("custom-") and fewer.startswith("custom-")
    assert looser != fewer
    default_tol = create(api, dora, dict(base, tolerance=0.1)).json["board"]
    assert default_tol == "pancakes-easy"


def test_attempts_are_bounded_per_board(api, info):
    rule = info["limits"]["board_attempts"]
    limit = rule["limit"]
    assert rule["rule"] == "pooled"
    assert all(p["attempts"] == rule for p in info["presets"])
    dave, _ = api.new_player()
    body = {"kind": "distinguish", "instance": template(3.0), "rounds": 1}
    for _ in range(limit):
        create(api, dave, body)
    r = create(api, dave, body, status=429)
    assert r.content_type == PROBLEM
    assert r.json["type"].endswith("too-many-attempts")
    assert 0 < int(r.headers["Retry-After"]) <= rule["window_s"]
    # Practice is free; other boards and other players are untouched.
    create(api, dave, dict(body, public=False))
    create(api, dave, dict(body, kind="recover"))
    create(api, dave, {"kind": "distinguish", "instance": template(3.25),
                       "rounds": 1})
    create(api, api.new_player()[0], body)


# --- seasons ---------------------------------------------------------------

def stamp(seconds_from_now):
    t = datetime.datetime.now(datetime.timezone.utc) + \
        datetime.timedelta(seconds=seconds_from_now)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_season_manifest_limits_and_freeze(api, admin_token, info):
    erin, erin_body = api.new_player()
    spec = {"name": "s-" + stamp(0), "presets": ["pancakes-easy"],
            "attempts": 2, "ends_at": stamp(6)}
    assert api.post("/v1/seasons", spec, token=erin).status == 403
    bad = dict(spec, presets=["nope"])
    assert api.post("/v1/seasons", bad, token=admin_token).status == 422
    past = dict(spec, ends_at=stamp(-60))
    assert api.post("/v1/seasons", past, token=admin_token).status == 422
    r = api.post("/v1/seasons", spec, token=admin_token)
    assert r.status == 201, r
    season = r.json
    assert api.post("/v1/seasons", spec, token=admin_token).status == 409
    # The manifest is signed with the receipt key and fixes everything.
    m = gameplay.verify_receipt(info["receipt_key"], season["manifest"])
    assert m["season"] == season["id"] and m["attempts_per_board"] == 2
    assert m["ends_at"] == spec["ends_at"] and m["rule"] == "pooled"
    easy = next(p for p in info["presets"] if p["name"] == "pancakes-easy")
    fixed = m["presets"][0]
    assert fixed["name"] == "pancakes-easy"
    assert fixed["params"] == easy["params"]
    assert fixed["budget"] == easy["budget"]
    assert season["status"] == "running"

    body = {"kind": "distinguish", "preset": "pancakes-easy", "rounds": 2,
            "season": season["id"]}
    first = play(api, erin, body)
    assert first["season"] == season["id"]
    second = create(api, erin, body).json
    r = create(api, erin, body, status=429)
    assert 0 < int(r.headers["Retry-After"]) <= 7
    other = dict(body, preset="gmm-easy")
    assert create(api, erin, other, status=422).json["errors"]
    looser = dict(body, kind="density", tolerance=0.3)
    assert "as the season fixed it" in create(api, erin, looser,
                                              status=422).json["detail"]
    assert create(api, erin, dict(body, season="se_nope"),
                  status=422).json
    # Season attempts do not touch the open board, nor its limit.
    open_rows = board(api, "kind=distinguish&preset=pancakes-easy")
    assert all(a["challenge"] != first["id"] for b in open_rows
               for row in b["rows"] for a in row["challenges"])

    time.sleep(max(0.0, datetime.datetime.strptime(
        spec["ends_at"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp() - time.time()) + 1.1)
    # After the end: no new games, and an attempt finished now is late.
    assert create(api, erin, body, status=409).json
    fin = api.post("/v1/challenges/%s/finish" % second["id"], token=erin)
    assert fin.status == 200
    got = api.get("/v1/seasons/" + season["id"]).json
    assert got["status"] == "ended"
    boards = [b for b in got["boards"] if b["kind"] == "distinguish"]
    assert len(boards) == 1 and boards[0]["season"] == season["id"]
    rows = boards[0]["rows"]
    assert [row["player"] for row in rows] == [erin_body["id"]]
    assert [a["challenge"] for a in rows[0]["challenges"]] == [first["id"]]
    check_standing(info, rows[0])
    same = board(api, "kind=distinguish&season=" + season["id"])
    assert [r["challenges"] for b in same for r in b["rows"]] == \
        [rows[0]["challenges"]]
    listed = api.get("/v1/seasons").json["seasons"]
    assert season["id"] in [s["id"] for s in listed]
    assert api.get("/v1/seasons/se_nope").status == 404
    assert api.get("/v1/leaderboard?season=se_nope").status == 404


def test_concurrent_attempts_never_pass_the_limit(api, info):
    """The count and the insert are one statement: attempts racing for the
    last places get exactly those."""
    import threading
    limit = info["limits"]["board_attempts"]["limit"]
    frank, _ = api.new_player()
    body = {"kind": "distinguish", "instance": template(3.5), "rounds": 1}
    for _ in range(limit - 3):
        create(api, frank, body)
    out = [None] * 8

    def go(i):
        out[i] = api.post("/v1/challenges", body, token=frank).status

    threads = [threading.Thread(target=go, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(out) == [201] * 3 + [429] * 5
