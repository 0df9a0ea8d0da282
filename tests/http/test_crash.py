"""kill -9 under load, then a restart on the same state: no acknowledged
write is lost and every commitment still opens.

Acknowledged means a 2xx the client received.  Sample points are a pure
function of their index in the instance's stream, and a samples request
spends the meter before drawing, so a lost spend would show up from
outside as the restarted server handing out points it already gave."""
import http.client
import os
import shutil
import signal
import threading

from conftest import Api, start_server
from test_instances import commitment, secret_bytes

WORKERS = 8
KILL_AFTER = 200  # acknowledged requests before the kill
MAX_N = 3         # points per samples request


class Load:
    """What the clients saw acknowledged, from several threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.points = set()  # every sample row returned, as a tuple
        self.spent = 0       # samples meter: the sum of acknowledged n
        self.instances = {}  # id -> commitment of every 201
        self.acks = 0
        self.enough = threading.Event()

    def ack(self):
        self.acks += 1
        if self.acks >= KILL_AFTER:
            self.enough.set()


def client(load, base_url, token, shared_id, k):
    api = Api(base_url, timeout=30)
    n = 1 + k % MAX_N
    for i in range(10 ** 6):
        try:
            if i % 5 == 4:
                r = api.post("/v1/instances", {"family": "pancakes", "dim": 4,
                                               "gamma": 4.0, "sigma": 0.05},
                             token=token)
            else:
                r = api.post("/v1/instances/%s/samples" % shared_id,
                             {"n": n}, token=token)
        except (OSError, http.client.HTTPException):
            return  # the server is gone
        with load.lock:
            if r.status == 201:
                load.instances[r.json["id"]] = r.json["commitment"]
                load.ack()
            elif r.status == 200:
                load.points.update(tuple(p) for p in r.json["samples"])
                load.spent += n
                load.ack()


def assert_opens(api, token, instance_id, want):
    r = api.post("/v1/instances/%s/reveal" % instance_id, token=token)
    assert r.status == 200, r
    got = r.json
    assert got["commitment"] == want
    assert commitment(got["salt"], instance_id,
                      secret_bytes("pancakes", got["secret"])) == want


def test_kill9_under_load_loses_no_acknowledged_write():
    srv = start_server()
    state = srv.state_dir
    srv2 = None
    try:
        token, _ = srv.api.new_player()
        shared = srv.api.new_instance(token, family="pancakes", dim=4,
                                      gamma=4.0, sigma=0.05,
                                      budget={"samples": 10 ** 7,
                                              "score": None, "logpdf": None})
        load = Load()
        threads = [threading.Thread(target=client,
                                    args=(load, srv.base_url, token,
                                          shared["id"], k))
                   for k in range(WORKERS)]
        for t in threads:
            t.start()
        assert load.enough.wait(timeout=120), "the load never got going"
        os.kill(srv.proc.pid, signal.SIGKILL)  # mid-flight: clients still run
        srv.proc.wait()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads)

        srv2 = start_server(state_dir=state)
        api = srv2.api
        assert api.get("/v1/players/me", token=token).status == 200

        r = api.get("/v1/instances/" + shared["id"], token=token)
        assert r.status == 200, r
        used = r.json["used"]["samples"]
        # Every acknowledged spend is there; beyond them, at most the
        # requests in flight at the kill (committed, never answered).
        assert load.spent <= used <= load.spent + WORKERS * MAX_N
        r = api.post("/v1/instances/%s/samples" % shared["id"], {"n": 64},
                     token=token)
        assert r.status == 200, r
        fresh = {tuple(p) for p in r.json["samples"]}
        assert len(fresh) == 64 and not fresh & load.points

        assert load.instances, "no instance was created before the kill"
        for instance_id, want in load.instances.items():
            r = api.get("/v1/instances/" + instance_id, token=token)
            assert r.status == 200, r
            assert r.json["commitment"] == want
            assert_opens(api, token, instance_id, want)
        assert_opens(api, token, shared["id"], shared["commitment"])
    finally:
        if srv.proc.poll() is None:
            srv.proc.kill()
        if srv2 is not None:
            srv2.stop()
        shutil.rmtree(state, ignore_errors=True)


SCORE_CLIENTS = 24  # more than the HTTP threads: spends share syncs


def score_client(load, base_url, token, instance_id, k):
    api = Api(base_url, timeout=30)
    n = 1 + k % MAX_N
    points = [[0.1 * (k + 1)] * 4] * n
    for _ in range(10 ** 6):
        try:
            r = api.post("/v1/instances/%s/score" % instance_id,
                         {"t": 0.5, "points": points}, token=token)
        except (OSError, http.client.HTTPException):
            return
        with load.lock:
            if r.status == 200 and len(r.json["scores"]) == n:
                load.spent += n
                load.ack()


def test_kill9_keeps_every_acknowledged_budgeted_score():
    """Score spends of a limited budget run on the spend pool, many
    sharing one sync: an answer still leaves only after its spend is
    durable, so a kill -9 loses none that a client received."""
    srv = start_server()
    state = srv.state_dir
    srv2 = None
    try:
        token, _ = srv.api.new_player()
        inst = srv.api.new_instance(token, family="pancakes", dim=4,
                                    gamma=4.0, sigma=0.05,
                                    budget={"score": 10 ** 7})
        load = Load()
        threads = [threading.Thread(target=score_client,
                                    args=(load, srv.base_url, token,
                                          inst["id"], k))
                   for k in range(SCORE_CLIENTS)]
        for t in threads:
            t.start()
        assert load.enough.wait(timeout=120), "the load never got going"
        os.kill(srv.proc.pid, signal.SIGKILL)
        srv.proc.wait()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads)

        srv2 = start_server(state_dir=state)
        r = srv2.api.get("/v1/instances/" + inst["id"], token=token)
        assert r.status == 200, r
        used = r.json["used"]["score"]
        assert load.spent <= used <= load.spent + SCORE_CLIENTS * MAX_N
    finally:
        if srv.proc.poll() is None:
            srv.proc.kill()
        if srv2 is not None:
            srv2.stop()
        shutil.rmtree(state, ignore_errors=True)
