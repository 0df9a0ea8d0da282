"""Concurrency: parallel clients never overspend a budget, and a large
batch computing on the pool does not hold up a one-point query."""
import json
import os
import socket
import threading

import numpy as np
import pytest

from conftest import start_server


def test_parallel_spending_never_overspends(api):
    tok, _ = api.new_player()
    inst = api.new_instance(tok, family="gaussian", dim=2,
                            budget={"samples": 100, "score": None,
                                    "logpdf": None})
    path = "/v1/instances/%s/samples" % inst["id"]
    got, refused, other = [], [], []
    lock = threading.Lock()

    def client(k):
        for _ in range(10):
            r = api.post(path, {"n": 3}, token=tok)
            with lock:
                if r.status == 200:
                    got.append(r.json["samples"])
                elif r.status == 429:
                    refused.append(r)
                else:
                    other.append(r)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not other, other[:3]
    assert len(got) == 33 and len(refused) == 80 - 33
    used = api.get("/v1/instances/" + inst["id"], token=tok).json["used"]
    assert used["samples"] == 99
    # Every acknowledged request got its own points of the stream.
    points = {tuple(p) for batch in got for p in batch}
    assert len(points) == 99


@pytest.fixture(scope="module")
def one_thread():
    """One HTTP thread: a batch computed on it would hold up every other
    connection, so only the compute pool keeps the small query fast."""
    srv = start_server(args=["--threads", "1", "--workers", "2"])
    yield srv
    # A clean exit: under ASan a leak or an error makes this nonzero.
    assert srv.stop() == 0


def big_then_small(srv, big_head, big_body, small_path, token):
    """Sends a big request whole on one connection, then three one-point
    queries one after another on another; answers the order in which the
    answers arrived.  The big request is in the server before the second
    small query leaves, so if it held up the HTTP thread the later small
    queries would wait for it."""
    host, port = srv.base_url.split("//")[1].split(":")
    events = []
    sent = threading.Event()

    def big_request():
        with socket.create_connection((host, int(port)), timeout=300) as s:
            s.sendall(big_head + big_body)
            sent.set()
            first = s.recv(64)
            events.append("big")
            while s.recv(1 << 20):
                pass
            assert first.startswith(b"HTTP/1.1 200"), first

    t = threading.Thread(target=big_request)
    t.start()
    assert sent.wait(60)
    for _ in range(3):
        r = srv.api.post(small_path, {"points": [[0.5, -0.5]]}, token=token)
        assert r.status == 200
        events.append("small")
    t.join(300)
    return events


def head(path, token, length, ctype="application/json", accept=None):
    return ("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: %s\r\n%sContent-Length: %d\r\n"
            "Connection: close\r\n\r\n"
            % (path, token, ctype, "Accept: %s\r\n" % accept if accept else "",
               length)).encode()


def test_one_point_query_answers_while_a_big_draw_computes(one_thread):
    """16384 x 256 samples as JSON: a tiny request, seconds of work."""
    api = one_thread.api
    tok, _ = api.new_player()
    big = api.new_instance(tok, family="pancakes", dim=256, gamma=8.0,
                           sigma=0.05)
    small = api.new_instance(tok, family="gaussian", dim=2)
    body = json.dumps({"n": 16384}).encode()
    events = big_then_small(
        one_thread, head("/v1/instances/%s/samples" % big["id"], tok,
                         len(body)), body,
        "/v1/instances/%s/score" % small["id"], tok)
    assert events == ["small"] * 3 + ["big"], events


def test_one_point_query_answers_while_a_4096x256_batch_computes(one_thread):
    """A 4096 x 256 score batch in JSON both ways (decoding and encoding a
    million numbers is most of its work)."""
    api = one_thread.api
    tok, _ = api.new_player()
    big = api.new_instance(tok, family="pancakes", dim=256, gamma=8.0,
                           sigma=0.05)
    small = api.new_instance(tok, family="gaussian", dim=2)
    pts = np.random.default_rng(5).normal(size=(4096, 256))
    body = json.dumps({"t": 0.01, "points": pts.tolist()}).encode()
    events = big_then_small(
        one_thread, head("/v1/instances/%s/score" % big["id"], tok,
                         len(body)), body,
        "/v1/instances/%s/score" % small["id"], tok)
    assert events == ["small"] * 3 + ["big"], events


def test_an_answer_racing_finish_is_counted(api):
    """An answer accepted (200) while finish runs is in the result: finish
    read the rounds before the answer was stored, so its first attempt
    must not stand.  Many rounds make finish slow enough to race."""
    tok, _ = api.new_player()
    spec = {"kind": "distinguish", "rounds": 100,
            "instance": {"family": "pancakes", "dim": 8, "gamma": 2,
                         "sigma": 0.1}}
    accepted = 0
    for _ in range(12):
        cid = api.post("/v1/challenges", spec, token=tok).json["id"]
        got = {}

        def answer():
            got["answer"] = api.post(
                "/v1/challenges/%s/rounds/99/answer" % cid,
                {"guess": "planted"}, token=tok)

        def finish():
            got["finish"] = api.post("/v1/challenges/%s/finish" % cid,
                                     token=tok)

        threads = [threading.Thread(target=finish),
                   threading.Thread(target=answer)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert got["finish"].status in (200, 409), got["finish"]
        assert got["answer"].status in (200, 409), got["answer"]
        view = api.get("/v1/challenges/" + cid, token=tok).json
        answered = got["answer"].status == 200
        accepted += answered
        assert view["rounds"][99]["answered"] is answered
        assert view["reveal"]["rounds"][99]["answered"] is answered
        assert view["result"]["answered"] == int(answered)
    assert accepted > 0


def peak_rss_bytes(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM for %d" % pid)


def test_a_large_json_answer_costs_about_its_text():
    """A JSON answer of 2^22 numbers raises the server's peak memory by
    little more than its own text.  Built as a jansson tree and dumped,
    it took four times that: the 2^24 numbers a request may ask for,
    once per compute worker, would have run a host out of memory."""
    # Under ASan, freed memory waits in a quarantine (256 MB by default)
    # and would count as peak use; this test measures the server's own.
    asan = os.environ.get("ASAN_OPTIONS", "")
    srv = start_server(args=["--workers", "1"], env={
        "ASAN_OPTIONS": (asan + ":" if asan else "") + "quarantine_size_mb=0"})
    try:
        tok, _ = srv.api.new_player()
        inst = srv.api.new_instance(tok, family="gaussian", dim=16)
        path = "/v1/instances/%s/samples" % inst["id"]
        assert srv.api.post(path, {"n": 1000}, token=tok).status == 200
        before = peak_rss_bytes(srv.proc.pid)
        r = srv.api.post(path, {"n": 1 << 18}, token=tok)
        assert r.status == 200
        assert np.asarray(r.json["samples"]).shape == (1 << 18, 16)
        grown = peak_rss_bytes(srv.proc.pid) - before
        assert grown < 2.5 * len(r.body), (grown, len(r.body))
    finally:
        assert srv.stop() == 0
