"""Three replicas on loopback sharing one PostgreSQL database, one master
key and one admin token: budgets exact across them, an answer or a reveal
once whichever replica is asked, receipts under one key, and kill -9 of a
replica under load losing nothing acknowledged.

Needs the cluster scripts/test.sh starts ($SCORACLE_TEST_PG); fails, never
skips, without it.  It starts its own servers, so it runs in the first
pass of tests/http only (the second pass puts every server on PostgreSQL
anyway).
"""
import concurrent.futures
import os
import secrets
import shutil
import signal
import tempfile
import threading
import time
import urllib.error

import pytest

from conftest import Api, start_server
from gameplay import verify_receipt
from liveserver import pg_database

CLIENTS = 32
BUDGET = 3000
SECONDS = 60  # every load loop stops by itself by then

pytestmark = pytest.mark.skipif(
    os.environ.get("SCORACLE_HTTP_STORE") == "pg",
    reason="runs in the first pass of tests/http (scripts/test.sh)")


@pytest.fixture(scope="module")
def replicas():
    url = pg_database()
    key_dir = tempfile.mkdtemp(prefix="scoracle-key-")
    key = os.path.join(key_dir, "master.key")
    fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, secrets.token_bytes(32))
    os.close(fd)
    servers = [start_server(args=["--store", url, "--master-key", key,
                                  "--threads", "8"])
               for _ in range(3)]
    yield servers
    # Clean exits: under ASan a leak or an error makes one nonzero.
    codes = [s.stop() for s in servers]
    for s in servers:
        shutil.rmtree(s.state_dir, ignore_errors=True)
    shutil.rmtree(key_dir, ignore_errors=True)
    assert codes == [0, 0, 0]


def apis(replicas):
    return [s.api for s in replicas]


def instance_used(api, token, iid):
    r = api.get("/v1/instances/" + iid, token=token)
    assert r.status == 200, r
    return r.json["used"]["samples"]


def spend_loop(api, token, iid, n, acked, stop):
    """Spends n samples at a time until refused (or stop); adds each
    acknowledged spend's sample count to acked (a list, one per client).
    Answers the number of requests that got no answer."""
    lost = 0
    deadline = time.monotonic() + SECONDS
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            r = api.post("/v1/instances/%s/samples" % iid, {"n": n},
                         token=token)
        except (urllib.error.URLError, ConnectionError, OSError):
            lost += 1
            break  # the replica is gone: this client stops
        if r.status == 429:
            break
        assert r.status == 200, r
        assert len(r.json["samples"]) == n
        acked.append(n)
    return lost


def test_replicas_are_ready_on_postgresql(replicas):
    for api in apis(replicas):
        r = api.get("/readyz")
        assert r.status == 200, r
        assert r.json == {"status": "ready", "store": "postgresql"}


def test_one_budget_spent_through_three_replicas(replicas):
    a = apis(replicas)
    token, _ = a[0].new_player()
    inst = a[1].new_instance(token, family="gaussian", dim=2,
                             budget={"samples": BUDGET})
    acked = [[] for _ in range(CLIENTS)]
    stop = threading.Event()
    with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
        futs = [pool.submit(spend_loop, a[k % 3], token, inst["id"],
                            1 + k % 7, acked[k], stop)
                for k in range(CLIENTS)]
        lost = sum(f.result() for f in futs)
    assert lost == 0
    total = sum(sum(x) for x in acked)
    used = [instance_used(api, token, inst["id"]) for api in a]
    # Every acknowledged point is stored, none beyond the budget, and
    # every replica reads the same meter.
    assert used == [total] * 3
    assert total <= BUDGET
    assert total > BUDGET - 7  # the clients stopped only when refused


def test_unlimited_meters_add_up_over_replicas(replicas):
    """Each replica counts unlimited use in memory and adds it to the
    database about once a second: the database holds the sum, never one
    replica's count written over another's."""
    a = apis(replicas)
    token, _ = a[0].new_player()
    inst = a[0].new_instance(token, family="gaussian", dim=2)
    path = "/v1/instances/%s/score" % inst["id"]
    sent = 0
    for k in range(60):
        n = 1 + k % 3
        r = a[k % 3].post(path, {"t": 0.1, "points": [[0.5, -0.5]] * n},
                          token=token)
        assert r.status == 200, r
        sent += n
    deadline = time.monotonic() + 10
    while True:
        got = [api.get("/v1/instances/" + inst["id"],
                       token=token).json["used"]["score"] for api in a]
        if got == [sent] * 3 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert got == [sent] * 3


def test_a_round_answered_on_one_is_refused_on_another(replicas):
    a = apis(replicas)
    token, _ = a[0].new_player()
    r = a[0].post("/v1/challenges", {"kind": "distinguish",
                                     "preset": "pancakes-easy", "rounds": 2},
                  token=token)
    assert r.status == 201, r
    cid = r.json["id"]
    path = "/v1/challenges/%s/rounds/0/answer" % cid
    assert a[1].post(path, {"guess": "planted"}, token=token).status == 200
    for api in (a[0], a[2]):
        r = api.post(path, {"guess": "null"}, token=token)
        assert r.status == 409, r
    # Finished once: on one replica, then 409 on the others; its receipt
    # verifies under the key every replica publishes.
    fin = a[2].post("/v1/challenges/%s/finish" % cid, token=token)
    assert fin.status == 200, fin
    for api in (a[0], a[1]):
        r = api.post("/v1/challenges/%s/finish" % cid, token=token)
        assert r.status == 409, r
    keys = {api.get("/v1/info").json["receipt_key"] for api in a}
    assert len(keys) == 1
    payload = verify_receipt(keys.pop(), fin.json["receipt"])
    assert payload["challenge"] == cid


def test_a_reveal_on_one_is_409_on_the_others(replicas):
    a = apis(replicas)
    token, _ = a[0].new_player()
    inst = a[0].new_instance(token, family="gaussian", dim=2)
    r = a[1].post("/v1/instances/%s/reveal" % inst["id"], token=token)
    assert r.status == 200, r
    for api in (a[0], a[2]):
        r = api.post("/v1/instances/%s/reveal" % inst["id"], token=token)
        assert r.status == 409, r
        assert api.get("/v1/instances/" + inst["id"],
                       token=token).json["status"] == "revealed"


def test_the_admin_token_and_players_work_on_every_replica(replicas):
    a = apis(replicas)
    token, body = a[2].new_player()
    for api in a:
        assert api.get("/v1/players/me", token=token).json["id"] == body["id"]
        assert api.get("/v1/players/me",
                       token=replicas[0].admin_token).status == 200


def test_a_replica_with_another_key_is_refused(replicas):
    """The first replica recorded its key's fingerprint in the database: a
    replica given another key refuses to start, changing nothing."""
    url = replicas[0].proc.args[replicas[0].proc.args.index("--store") + 1]
    key_dir = tempfile.mkdtemp(prefix="scoracle-key-")
    key = os.path.join(key_dir, "other.key")
    fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, secrets.token_bytes(32))
    os.close(fd)
    try:
        with pytest.raises(RuntimeError, match="did not start"):
            start_server(args=["--store", url, "--master-key", key])
    finally:
        shutil.rmtree(key_dir, ignore_errors=True)
    assert replicas[0].api.get("/readyz").status == 200


def test_a_replica_without_its_key_file_is_refused(replicas):
    """--master-key names a file that must exist: a replica never makes a
    key of its own for a shared database."""
    url = replicas[0].proc.args[replicas[0].proc.args.index("--store") + 1]
    missing = os.path.join(tempfile.mkdtemp(prefix="scoracle-key-"), "no")
    with pytest.raises(RuntimeError, match="did not start"):
        start_server(args=["--store", url, "--master-key", missing])
    assert not os.path.exists(missing)
    shutil.rmtree(os.path.dirname(missing), ignore_errors=True)


def test_kill9_of_a_replica_under_load_loses_nothing_acknowledged():
    """Its own replicas: this one kills one."""
    url = pg_database()
    key_dir = tempfile.mkdtemp(prefix="scoracle-key-")
    key = os.path.join(key_dir, "master.key")
    with open(key, "wb") as f:
        f.write(secrets.token_bytes(32))
    os.chmod(key, 0o600)
    servers = [start_server(args=["--store", url, "--master-key", key,
                                  "--threads", "8"])
               for _ in range(3)]
    try:
        a = apis(servers)
        token, _ = a[0].new_player()
        inst = a[0].new_instance(token, family="gaussian", dim=2,
                                 budget={"samples": BUDGET})
        acked = [[] for _ in range(CLIENTS)]
        stop = threading.Event()
        with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
            futs = [pool.submit(spend_loop, a[k % 3], token, inst["id"],
                                1 + k % 5, acked[k], stop)
                    for k in range(CLIENTS)]
            deadline = time.monotonic() + SECONDS
            while (sum(map(len, acked)) < 100 and
                   time.monotonic() < deadline):
                time.sleep(0.01)
            servers[2].proc.send_signal(signal.SIGKILL)
            servers[2].proc.wait(timeout=30)
            at_kill = sum(sum(x) for x in acked)
            lost = sum(f.result() for f in futs)
        # The kill came under load, well before the budget ran out.
        assert at_kill < BUDGET // 2
        total = sum(sum(x) for x in acked)
        used = instance_used(a[0], token, inst["id"])
        # Nothing acknowledged is lost; a spend committed on the killed
        # replica but never answered may count (at most one per client
        # of it: 5 points each).
        assert total <= used <= total + 5 * lost
        assert used <= BUDGET
        # The others kept serving: they spent the budget to the end.
        assert used > BUDGET - 5 - 5 * lost
        for api in a[:2]:
            assert api.get("/readyz").status == 200
            assert instance_used(api, token, inst["id"]) == used
        assert [s.stop() for s in servers[:2]] == [0, 0]
    finally:
        for s in servers:
            s.stop()
            shutil.rmtree(s.state_dir, ignore_errors=True)
        shutil.rmtree(key_dir, ignore_errors=True)
