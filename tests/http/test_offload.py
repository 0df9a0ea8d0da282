"""Challenge creation and class joins leave the HTTP threads (issue 11):
they run on the bounded compute pool, and a full pool answers 503
overloaded with Retry-After, as oracle batches do.

Ordering, not wall time: with one HTTP thread, small queries sent while
a 1000-round creation runs are answered before it."""
import threading
import time

from conftest import start_server
from openapi_check import validate_response

ROUNDS = 1000
SPEC = {"kind": "distinguish", "rounds": ROUNDS,
        "instance": {"family": "pancakes", "dim": 8, "gamma": 2.0,
                     "sigma": 0.1}}


def create_in_background(api, token, out):
    def run():
        out["sent"] = time.monotonic()
        out["resp"] = api.post("/v1/challenges", SPEC, token=token)
        out["done"] = time.monotonic()
    t = threading.Thread(target=run)
    t.start()
    return t


def test_long_creation_does_not_stall_a_small_query():
    srv = start_server(args=["--threads", "1", "--workers", "1"])
    try:
        api = srv.api
        token, _ = api.new_player()
        inst = api.new_instance(token, family="gaussian", dim=2)
        big = {}
        t = create_in_background(api, token, big)
        time.sleep(0.2)
        small_done = []
        while t.is_alive() and len(small_done) < 50:
            r = api.post("/v1/instances/%s/score" % inst["id"],
                         {"points": [[0.1, 0.2]]}, token=token)
            assert r.status == 200, r
            small_done.append(time.monotonic())
        t.join()
        assert big["resp"].status == 201, big["resp"]
        assert len(big["resp"].json["rounds"]) == ROUNDS
        # Answers came back while the creation was still running.
        assert small_done and small_done[0] < big["done"]
    finally:
        assert srv.stop() == 0


def test_full_pool_refuses_creation_and_join_with_503():
    srv = start_server(args=["--workers", "1", "--queue", "0"])
    try:
        api = srv.api
        token, _ = api.new_player()
        cls = api.post("/v1/classes", {"name": "c"}, token=srv.admin_token)
        assert cls.status == 201
        big = {}
        t = create_in_background(api, token, big)
        time.sleep(0.3)
        refused = api.post("/v1/challenges", dict(SPEC, rounds=2),
                           token=token)
        join = api.post("/v1/classes/join",
                        {"code": cls.json["join_code"], "name": "late"})
        t.join()
        assert big["resp"].status == 201, big["resp"]
        for r, path in ((refused, "/v1/challenges"),
                        (join, "/v1/classes/join")):
            assert r.status == 503, r
            assert r.json["type"].endswith(":overloaded")
            assert int(r.headers["Retry-After"]) >= 1
            validate_response("post", path, 503, r.json)
        # The refused creation changed nothing.
        mine = api.get("/v1/challenges", token=token).json["challenges"]
        assert len(mine) == 1
    finally:
        assert srv.stop() == 0
