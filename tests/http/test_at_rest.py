"""No hidden truth at rest (issue 8, item 6): a copy of the store taken
during an open distinguish challenge holds nothing that tells its planted
rounds from its null ones.  The coins come from the master key at every
use; the copy is read table by table, column by column, and every column
is tried as a predictor of the coins that finish reveals afterwards.

The server runs with a fixed master key, so the coins and every figure
below are the same on every run."""
import json
import os
import shutil
import sqlite3
import tempfile

import pytest

from conftest import start_server

ROUNDS = 40
MASTER_KEY = bytes(range(32))


@pytest.fixture(scope="module")
def srv():
    s = start_server(master_key=MASTER_KEY)
    yield s
    assert s.stop() == 0
    shutil.rmtree(s.state_dir, ignore_errors=True)


def copy_pg_store(url):
    """A PostgreSQL store (the second pass of tests/http) copied table by
    table into an SQLite database in memory, values as they are stored
    (booleans as 0/1, bytea as bytes), for the same reading."""
    import psycopg2
    src = psycopg2.connect(url)
    out = sqlite3.connect(":memory:")
    cur = src.cursor()
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    for (t,) in cur.fetchall():
        cur.execute('SELECT * FROM "%s"' % t)
        cols = [d[0] for d in cur.description]
        out.execute('CREATE TABLE "%s" (%s)' % (
            t, ", ".join('"%s"' % c for c in cols)))
        rows = [tuple(int(v) if isinstance(v, bool) else
                      bytes(v) if isinstance(v, memoryview) else v
                      for v in row) for row in cur.fetchall()]
        out.executemany('INSERT INTO "%s" VALUES (%s)' % (
            t, ", ".join("?" * len(cols))), rows)
    src.close()
    return out


def copy_store(state_dir):
    """The store as a backup of the live database would read it."""
    pg_url = os.path.join(state_dir, "pg.url")
    if os.path.exists(pg_url):
        with open(pg_url) as f:
            return copy_pg_store(f.read().strip())
    dst = os.path.join(tempfile.mkdtemp(prefix="scoracle-copy-"), "copy.db")
    src = sqlite3.connect("file:%s?mode=ro" % os.path.join(
        state_dir, "scoracle.db"), uri=True)
    out = sqlite3.connect(dst)
    src.backup(out)
    src.close()
    return out


def round_of_row(row, cols, instances, cid):
    """The round a stored row belongs to, or None: it names a round's
    instance, or it is (challenge, index) of one."""
    for v in row:
        if isinstance(v, str) and v in instances:
            return instances[v]
    named = dict(zip(cols, row))
    if named.get("challenge") == cid:
        for c in ("idx", "round"):
            if isinstance(named.get(c), int):
                return named[c]
    return None


def majority_accuracy(values, coins):
    """How well the best guess per value predicts the coin, over rounds
    whose value some other round shares (a value seen once predicts
    nothing), and how many rounds that is."""
    groups = {}
    for v, c in zip(values, coins):
        groups.setdefault(v, []).append(c)
    shared = [g for g in groups.values() if len(g) >= 2]
    n = sum(len(g) for g in shared)
    right = sum(max(sum(g), len(g) - sum(g)) for g in shared)
    return (right / n if n else 0.0), n


def median_accuracy(values, coins):
    """A numeric column split at its median, either way round."""
    nums = [v for v in values if isinstance(v, (int, float))]
    if len(nums) != len(values) or len(set(nums)) < 2:
        return 0.0
    med = sorted(nums)[len(nums) // 2]
    hits = sum((v >= med) == c for v, c in zip(nums, coins))
    return max(hits, len(nums) - hits) / len(nums)


def test_store_copy_during_open_challenge_predicts_no_coin(srv):
    api = srv.api
    token, _ = api.new_player()
    body = {"kind": "distinguish", "rounds": ROUNDS,
            "instance": {"family": "pancakes", "dim": 8, "gamma": 2.0,
                         "sigma": 0.01, "budget": {"samples": 64}}}
    r = api.post("/v1/challenges", body, token=token)
    assert r.status == 201, r
    cid = r.json["id"]
    instances = {rd["instance"]["id"]: rd["index"]
                 for rd in r.json["rounds"]}
    # Every round but the last answered "planted": had the store kept
    # whether an answer was right, that column would be the coin.
    for i in range(ROUNDS - 1):
        a = api.post("/v1/challenges/%s/rounds/%d/answer" % (cid, i),
                     {"guess": "planted"}, token=token)
        assert a.status == 200 and a.json["status"] == "open", a
    db = copy_store(srv.state_dir)

    fin = api.post("/v1/challenges/%s/finish" % cid, token=token)
    assert fin.status == 200, fin
    coins = [None] * ROUNDS
    for rv in fin.json["reveal"]["rounds"]:
        coins[rv["index"]] = rv["planted"]
    assert 10 <= sum(coins) <= ROUNDS - 10  # both kinds of round occur

    tables = [t for (t,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert "instances" in tables and "challenge_rounds" in tables
    coin_text = ["".join("1" if c else "0" for c in coins),
                 "".join("0" if c else "1" for c in coins),
                 json.dumps(coins), json.dumps([not c for c in coins])]
    checked = 0
    for t in tables:
        cur = db.execute('SELECT * FROM "%s"' % t)
        cols = [d[0] for d in cur.description]
        rows = cur.fetchall()
        per_round = {}
        for row in rows:
            for v in row:  # no row spells the coins out
                assert not (isinstance(v, str) and
                            any(s in v for s in coin_text)), (t, v)
            i = round_of_row(row, cols, instances, cid)
            if i is not None:
                per_round.setdefault(i, []).append(row)
        if len(per_round) < ROUNDS:
            continue
        for k, col in enumerate(cols):
            values = [tuple(sorted((repr(rw[k]) for rw in per_round[i])))
                      if len(per_round[i]) > 1 else per_round[i][0][k]
                      for i in range(ROUNDS)]
            acc, n = majority_accuracy(values, coins)
            assert not (n >= 30 and acc >= 0.9), (t, col, acc, n)
            assert median_accuracy(values, coins) < 0.9, (t, col)
            checked += 1
    # The round tables were read: instances and challenge_rounds at least.
    assert checked >= 20
    db.close()
