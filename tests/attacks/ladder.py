"""Plays the attacks of attacks.py against a live server's presets, as a
strong challenger would: one distinguish challenge per preset, every
round's whole sample budget downloaded once (NPY) and shown to every
attack; the answer sent is the first attack's verdict; after finish the
revealed coins score each attack, and the revealed directions score the
known-secret likelihood-ratio test (a null round borrows the u of a
planted round: any direction independent of N(0, I) data is as good).
posterior presets (owf) are played by brute force over the seeds.

Shared by test_ladder.py (few rounds, asserting the ladder) and
bench.py (more rounds, printing the hardness cards' measured numbers).
"""
import io
import pathlib
import sys
import time
import uuid
from dataclasses import dataclass, field

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tests" / "http"))
sys.path.insert(0, str(HERE))

import attacks  # noqa: E402

NPY = "application/x-npy"


@dataclass
class Score:
    """One attack over the rounds of one challenge."""
    wins: int = 0
    rounds: int = 0
    said_planted: int = 0
    seconds: float = 0.0
    planted_rounds: int = 0
    planted_found: int = 0   # planted rounds called planted
    null_kept: int = 0       # null rounds called null

    def add(self, verdict_planted, truth, seconds):
        self.rounds += 1
        self.wins += verdict_planted == truth
        self.said_planted += verdict_planted
        self.seconds += seconds
        self.planted_rounds += truth
        self.planted_found += verdict_planted and truth
        self.null_kept += not verdict_planted and not truth

    @property
    def win_rate(self):
        """The chance of winning a round whose coin is fair: the mean of
        the rates on planted and on null rounds, so that an attack that
        always answers the same wins 1/2 whatever the coins fell."""
        rates = []
        if self.planted_rounds:
            rates.append(self.planted_found / self.planted_rounds)
        if self.rounds > self.planted_rounds:
            rates.append(self.null_kept / (self.rounds - self.planted_rounds))
        return sum(rates) / len(rates)

    @property
    def seconds_per_round(self):
        return self.seconds / self.rounds


@dataclass
class Played:
    preset: str
    result: dict
    scores: dict = field(default_factory=dict)


def fresh_player(api):
    """A player of its own for each challenge, so that per-player attempt
    limits never stop the suite."""
    r = api.post("/v1/players", {"name": "atk-" + uuid.uuid4().hex[:12]})
    assert r.status == 201, r
    return r.json["token"]


def create(api, token, preset, kind, rounds):
    """A challenge of a preset (a name) or of a custom template (a dict)."""
    what = {"instance": preset} if isinstance(preset, dict) else \
        {"preset": preset}
    r = api.post("/v1/challenges", dict(what, kind=kind, rounds=rounds),
                 token=token)
    assert r.status == 201, r
    return r.json


def samples(api, token, inst, n):
    r = api.post("/v1/instances/%s/samples" % inst["id"],
                 {"n": int(n), "t": 0.0}, token=token,
                 headers={"Accept": NPY})
    assert r.status == 200 and r.content_type == NPY, r
    return np.load(io.BytesIO(r.body), allow_pickle=False)


def answer(api, token, cid, index, body):
    r = api.post("/v1/challenges/%s/rounds/%d/answer" % (cid, index), body,
                 token=token)
    assert r.status == 200, r
    return r.json


def preset_info(api, name):
    info = api.get("/v1/info").json
    return next(p for p in info["presets"] if p["name"] == name)


def play_distinguish(api, preset, names, rounds, seed, options=None):
    """Every attack in names (keys of attacks.ATTACKS) on every round of
    one distinguish challenge; scores[name] and scores["known-secret"].
    preset: a preset's name, or a custom instance template."""
    options = options or {}
    if isinstance(preset, dict):
        p = {"params": preset, "budget": preset["budget"]}
    else:
        p = preset_info(api, preset)
    spec = dict(p["params"])
    token = fresh_player(api)
    view = create(api, token, preset, "distinguish", rounds)
    rng = np.random.default_rng(seed)
    data, verdicts, last = [], [], None
    for rnd in view["rounds"]:
        x = samples(api, token, rnd["instance"], p["budget"]["samples"])
        row = {}
        for name in names:
            t0 = time.perf_counter()
            v = attacks.ATTACKS[name](x, spec, rng, **options.get(name, {}))
            row[name] = (v.planted, time.perf_counter() - t0)
        guess = "planted" if row[names[0]][0] else "null"
        last = answer(api, token, view["id"], rnd["index"], {"guess": guess})
        data.append(x)
        verdicts.append(row)
    assert last["status"] == "finished"
    out = Played(str(preset), last["result"])
    coins = {r["index"]: r for r in last["reveal"]["rounds"]}
    for name in names:
        out.scores[name] = Score()
    for rnd, row in zip(view["rounds"], verdicts):
        truth = coins[rnd["index"]]["planted"]
        for name, (said, secs) in row.items():
            out.scores[name].add(said, truth, secs)
    if "gamma" in spec:  # a law along u to test: pancakes
        out.scores["known-secret"] = known_secret(view, coins, data, spec)
    return out


def known_secret(view, coins, data, spec):
    us = [np.asarray(r["instance"]["secret"]["u"]) for r in coins.values()
          if r["planted"]]
    score = Score()
    if not us:
        return score
    for rnd, x in zip(view["rounds"], data):
        c = coins[rnd["index"]]
        u = np.asarray(c["instance"]["secret"]["u"]) if c["planted"] \
            else us[0]
        t0 = time.perf_counter()
        said = attacks.known_secret(x, u, spec)
        score.add(said, c["planted"], time.perf_counter() - t0)
    return score


def play_posterior(api, preset, rounds, limit=None):
    """Brute force over the seeds of every round (or its first limit
    seeds: a round not solved by then scores a loss)."""
    p = preset_info(api, preset)
    token = fresh_player(api)
    view = create(api, token, preset, "posterior", rounds)
    score, last = Score(), None
    for rnd in view["rounds"]:
        params = rnd["instance"]["params"]
        t0 = time.perf_counter()
        seed = attacks.owf_brute_force(rnd["y"], params, limit)
        secs = time.perf_counter() - t0
        body = {"seed": seed.hex()} if seed is not None else \
            {"seed": bytes((params["seed_bits"] + 7) // 8).hex()}
        last = answer(api, token, view["id"], rnd["index"], body)
        score.add(seed is not None, True, secs)
    assert last["status"] == "finished"
    out = Played(preset, last["result"])
    out.scores["brute-force"] = score
    assert p["family"] == "owf"
    return out
