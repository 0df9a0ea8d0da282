#!/usr/bin/env python3
"""`make soak`: mixed traffic against one scoracled for SOAK_SECONDS
(default 300), with kill -9 and a restart on the same state between
rounds (SOAK_KILLS, default 2).  Fails when the server's RSS grows after
warm-up within a round, or when anything a client saw acknowledged (a
2xx it received) is missing after a restart.

Traffic, from SOAK_CLIENTS threads (default 6), each loop one of:
registering players, creating instances, drawing samples from a shared
instance, score and logpdf queries, reveals, distinguish challenges and
their answers, and reads (/v1/info, /metrics, /healthz).

RSS: sampled from /proc/PID/status every half second.  Within each round
the first SOAK_WARMUP of the time (default 0.3) is warm-up (caches,
connection pools, malloc arenas filling); after it, the median of the
last tenth of the samples may exceed the median of the first tenth by
at most SOAK_RSS_SLACK_MB (default 8).

Usage: scripts/soak.py [BUILD] (default build; its scoracled runs).
Loopback only; every loop stops at its deadline.
"""
import http.client
import os
import pathlib
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "http"))

import gameplay  # noqa: E402
from liveserver import Api, start_server  # noqa: E402

SECONDS = float(os.environ.get("SOAK_SECONDS", "300"))
KILLS = int(os.environ.get("SOAK_KILLS", "2"))
CLIENTS = int(os.environ.get("SOAK_CLIENTS", "6"))
WARMUP = float(os.environ.get("SOAK_WARMUP", "0.3"))
SLACK_MB = float(os.environ.get("SOAK_RSS_SLACK_MB", "8"))
MAX_N = 4
SPEC = {"family": "pancakes", "dim": 4, "gamma": 4.0, "sigma": 0.05}
SPECS = [SPEC, {"family": "gaussian", "dim": 3},
         {"family": "gmm", "dim": 3, "components": 3}]


class Acked:
    """Everything the clients saw acknowledged, across rounds."""

    def __init__(self):
        self.lock = threading.Lock()
        self.players = []      # tokens
        self.instances = {}    # id -> (token, commitment)
        self.revealed = set()  # instance ids
        self.points = set()    # sample rows of the shared instance
        self.spent = 0         # its samples meter, acknowledged
        self.answers = {}      # challenge id -> (token, answered indexes)
        self.requests = 0
        self.errors = []       # unexpected answers (5xx while healthy)


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def one_step(api, acked, rng, token, shared, mine):
    """One request of the mix; records what was acknowledged."""
    k = rng.random()
    if k < 0.05:
        r = api.post("/v1/players", {"name": "soak-%x" % rng.getrandbits(64)})
        if r.status == 201:
            with acked.lock:
                acked.players.append(r.json["token"])
    elif k < 0.15:
        r = api.post("/v1/instances", rng.choice(SPECS), token=token)
        if r.status == 201:
            mine.append(r.json["id"])
            with acked.lock:
                acked.instances[r.json["id"]] = (token, r.json["commitment"])
    elif k < 0.55:
        n = rng.randint(1, MAX_N)
        r = api.post("/v1/instances/%s/samples" % shared, {"n": n},
                     token=token)
        if r.status == 200:
            with acked.lock:
                acked.points.update(tuple(p) for p in r.json["samples"])
                acked.spent += n
    elif k < 0.70 and mine:
        op = rng.choice(["score", "logpdf"])
        inst = rng.choice(mine)
        r = api.get("/v1/instances/" + inst, token=token)
        if r.status == 200 and r.json["status"] != "revealed":
            dim = r.json["dim"]
            pts = [[rng.gauss(0, 1) for _ in range(dim)] for _ in range(3)]
            r = api.post("/v1/instances/%s/%s" % (inst, op),
                         {"points": pts, "t": 0.1}, token=token)
    elif k < 0.74 and mine:
        inst = mine.pop(rng.randrange(len(mine)))
        r = api.post("/v1/instances/%s/reveal" % inst, token=token)
        if r.status == 200:
            with acked.lock:
                acked.revealed.add(inst)
    elif k < 0.80:
        r = api.post("/v1/challenges", {"kind": "distinguish", "rounds": 2,
                                        "instance": SPEC}, token=token)
        if r.status == 201:
            cid = r.json["id"]
            with acked.lock:
                acked.answers[cid] = (token, set())
            a = api.post("/v1/challenges/%s/rounds/0/answer" % cid,
                         {"guess": rng.choice(["planted", "null"])},
                         token=token)
            if a.status == 200:
                with acked.lock:
                    acked.answers[cid][1].add(0)
            r = a
    else:
        r = api.get(rng.choice(["/v1/info", "/metrics", "/healthz"]))
    with acked.lock:
        acked.requests += 1
        if r.status >= 500 and len(acked.errors) < 20:
            acked.errors.append(repr(r))


def client(base_url, acked, token, shared, seed, stop):
    api = Api(base_url, timeout=30)
    rng = random.Random(seed)
    mine = []
    while not stop.is_set():
        try:
            one_step(api, acked, rng, token, shared, mine)
        except (OSError, http.client.HTTPException):
            return  # the server is gone (kill -9)


def run_round(srv, acked, token, shared, seconds, seed):
    """Traffic for seconds; answers the RSS samples [(t, kib)]."""
    stop = threading.Event()
    threads = [threading.Thread(target=client,
                                args=(srv.base_url, acked, token, shared,
                                      seed * 1000 + i, stop))
               for i in range(CLIENTS)]
    for t in threads:
        t.start()
    samples = []
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        kib = rss_kib(srv.proc.pid)
        if kib is not None:
            samples.append((time.monotonic() - t0, kib))
        time.sleep(0.5)
    return stop, threads, samples


def rss_growth_mib(samples, seconds):
    """Median of the last tenth minus median of the first tenth of the
    samples after warm-up, in MiB."""
    after = [kib for t, kib in samples if t >= WARMUP * seconds]
    if len(after) < 10:
        return 0.0, after
    tenth = max(1, len(after) // 10)
    return ((statistics.median(after[-tenth:]) -
             statistics.median(after[:tenth])) / 1024.0, after)


def verify(api, acked, shared, token):
    """Everything acknowledged is there; answers a list of failures."""
    bad = []
    for t in acked.players:
        if api.get("/v1/players/me", token=t).status != 200:
            bad.append("player lost")
    for iid, (t, commitment) in acked.instances.items():
        r = api.get("/v1/instances/" + iid, token=t)
        if r.status != 200 or r.json["commitment"] != commitment:
            bad.append("instance %s lost or changed: %r" % (iid, r))
        elif iid in acked.revealed and r.json["status"] != "revealed":
            bad.append("reveal of %s lost" % iid)
    for cid, (t, answered) in acked.answers.items():
        r = api.get("/v1/challenges/" + cid, token=t)
        if r.status != 200:
            bad.append("challenge %s lost: %r" % (cid, r))
            continue
        for rnd in r.json["rounds"]:
            if rnd["index"] in answered and not rnd.get("answered"):
                bad.append("answer to %s round %d lost" % (cid,
                                                           rnd["index"]))
    r = api.get("/v1/instances/" + shared, token=token)
    used = r.json["used"]["samples"] if r.status == 200 else -1
    if not acked.spent <= used <= acked.spent + CLIENTS * MAX_N * (KILLS + 1):
        bad.append("samples meter %d, acknowledged %d" % (used, acked.spent))
    acked.spent = used  # in-flight spends are committed: count them now
    r = api.post("/v1/instances/%s/samples" % shared, {"n": 32}, token=token)
    if r.status != 200:
        bad.append("fresh samples refused: %r" % r)
    else:
        fresh = {tuple(p) for p in r.json["samples"]}
        if fresh & acked.points:
            bad.append("samples handed out twice: a spend was lost")
        acked.points |= fresh
        acked.spent += 32
    return bad


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    os.environ.setdefault("SCORACLE_BIN", str(ROOT / build / "scoracled"))
    state = tempfile.mkdtemp(prefix="scoracle-soak-")
    rounds = KILLS + 1
    per_round = SECONDS / rounds
    acked = Acked()
    failures = []
    srv = start_server(state_dir=state)
    try:
        token, _ = srv.api.new_player()
        shared = srv.api.new_instance(
            token, **SPEC, budget={"samples": 10 ** 9, "score": None,
                                   "logpdf": None})["id"]
        for rnd in range(rounds):
            stop, threads, samples = run_round(srv, acked, token, shared,
                                               per_round, rnd)
            growth, after = rss_growth_mib(samples, per_round)
            last = rnd == rounds - 1
            if last:
                stop.set()
            else:
                os.kill(srv.proc.pid, signal.SIGKILL)  # clients still run
                srv.proc.wait()
                stop.set()
            for t in threads:
                t.join(timeout=60)
            if after:
                print("soak: round %d: %d requests so far, RSS %.1f -> "
                      "%.1f MiB after warm-up (growth %.1f MiB)" %
                      (rnd + 1, acked.requests, after[0] / 1024.0,
                       after[-1] / 1024.0, growth), flush=True)
            if growth > SLACK_MB:
                failures.append("round %d: RSS grew %.1f MiB after warm-up"
                                % (rnd + 1, growth))
            if last:
                break
            srv = start_server(state_dir=state)
            bad = verify(srv.api, acked, shared, token)
            print("soak: restart %d after kill -9: %d players, %d instances,"
                  " %d challenges checked, %s" %
                  (rnd + 1, len(acked.players), len(acked.instances),
                   len(acked.answers), "all there" if not bad else
                   "%d lost" % len(bad)), flush=True)
            failures += bad[:20]
        if acked.errors:
            failures.append("5xx answers while healthy: %s"
                            % "; ".join(acked.errors[:5]))
        if srv.stop() != 0:
            failures.append("the server did not exit cleanly")
    finally:
        if srv.proc.poll() is None:
            srv.proc.kill()
        shutil.rmtree(state, ignore_errors=True)
    for f in failures:
        print("soak: FAIL: " + f, flush=True)
    print("soak: %s (%d requests, %.0f s)" %
          ("failed" if failures else "passed", acked.requests, SECONDS))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
