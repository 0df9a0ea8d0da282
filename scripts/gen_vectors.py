#!/usr/bin/python3
"""Writes the reference vectors of tests/vectors from docs/MATH.md and
proto/API.md, independently of the C code: 50-digit arithmetic (mpmath)
for the densities and scores, hashlib's BLAKE2b for commitments and f.

Usage: scripts/gen_vectors.py [--check] [DIR]   (DIR: tests/vectors)
  --check  writes nothing; compares with the files in DIR and fails when a
           number differs from the committed one as printed (17
           significant digits) or any other member differs.

Every input is a double taken as exact (u = (1/3, 2/3, 2/3) as rounded
doubles, not renormalised); only the outputs are rounded, once, to the
nearest double.  Needs python3-mpmath (scripts/deps.sh).
"""

import hashlib
import json
import os
import struct
import sys

import mpmath as mp

mp.mp.dps = 50
DIGITS = 17

U = [1.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0]
POINTS = [[0.0, 0.0, 0.0], [0.3, -1.2, 0.7], [1.0, 1.0, 1.0],
          [-2.5, 0.1, 3.3], [5.0, 10.0, 10.0], [40.0, -3.0, 7.0],
          [1000.0, 2000.0, 2000.0], [-1000000.0, 5.0, 250000.0]]
PANCAKE_PARAMS = [(6.0, 0.01), (6.0, 0.05), (6.0, 0.25), (1.0, 0.0001),
                  (2.0, 10.0), (100.0, 0.001), (8.0, 0.5)]
PANCAKE_TIMES = [0.0, 0.001, 0.3, 2.0, 20.0]
TRUNCATED = [(6.0, 0.05, 5), (3.0, 0.2, 11), (10.0, 0.01, 1)]
TRUNCATED_TIMES = [0.0, 0.5]
GMM_MEANS = [[1.0, -2.0, 0.5], [0.0, 3.0, -1.0], [-4.0, 0.0, 2.0]]
GMM_WEIGHTS = [0.2, 0.5, 0.3]
GMM_VARIANCES = [0.3, 1.0, 0.01]
GMM_TIMES = [0.0, 0.2, 1.5, 20.0]

PANCAKES_ABOUT = (
    "Song 2024 Gaussian pancakes in standard-normal units at OU time t "
    "(docs/MATH.md section 1); values computed with 50-digit arithmetic, "
    "exact sums over k; 'truncated' keeps |k| <= (components-1)/2 and "
    "renormalises the weights. The inputs are the given doubles, taken as "
    "exact; an implementation that rounds while forming <x,u> cannot beat "
    "the input's conditioning, so compare with a tolerance like "
    "1e-12*|value| + 4e-16*|score|*|x| (and likewise for each score "
    "component, with its derivative).")
GMM_ABOUT = ("isotropic Gaussian mixtures at OU time t (docs/MATH.md "
             "section 2), 50-digit arithmetic.")
CRYPTO_ABOUT = ("commitment and one-way-function test vectors "
                "(proto/API.md, docs/MATH.md section 4)")


def out(x):
    """The nearest double of an mpf."""
    return float(x)


def dot(a, b):
    return mp.fsum(mp.mpf(p) * mp.mpf(q) for p, q in zip(a, b))


def lse(terms):
    top = max(terms)
    return top + mp.log(mp.fsum(mp.exp(a - top) for a in terms))


# -- section 1: pancakes --------------------------------------------------

def comb_terms(gamma, sigma, t, z, kmax=None):
    """log(w_k N(z; mu_k(t), v_t)) for every k whose term is within
    exp(-150) of the largest (or |k| <= kmax when truncated), log Zg
    folded in.  In k the log-term is a concave quadratic, so the k that
    matter form one window around its peak."""
    g, s, tt = mp.mpf(gamma), mp.mpf(sigma), mp.mpf(t)
    step = mp.sqrt(2 * mp.pi) / (g * mp.sqrt(1 + s * s)) * mp.exp(-tt)
    v = 1 - mp.exp(-2 * tt) / (1 + s * s)
    curv = mp.pi / (g * g) + step * step / (2 * v)
    peak = (z * step / v) / (2 * curv)
    width = int(mp.ceil(mp.sqrt(150 / curv))) + 2
    lo, hi = int(mp.floor(peak)) - width, int(mp.ceil(peak)) + width
    if kmax is not None:
        lo, hi = max(lo, -kmax), min(hi, kmax)
        if lo > hi:
            lo, hi = (kmax, kmax) if peak > kmax else (-kmax, -kmax)
    ks = range(lo, hi + 1)
    zw = int(mp.ceil(mp.sqrt(150 / (mp.pi / (g * g))))) + 2
    zks = range(-zw, zw + 1) if kmax is None else range(-kmax, kmax + 1)
    log_zg = lse([-mp.pi * k * k / (g * g) for k in zks])
    terms = [-mp.pi * k * k / (g * g) - log_zg - (z - k * step) ** 2 / (2 * v)
             - mp.log(2 * mp.pi * v) / 2 for k in ks]
    return list(ks), terms, step, v


def pancakes_point(gamma, sigma, t, x, kmax=None):
    z = dot(x, U)
    ks, terms, step, v = comb_terms(gamma, sigma, t, z, kmax)
    log_p1 = lse(terms)
    top = max(terms)
    wsum = mp.fsum(mp.exp(a - top) for a in terms)
    dlog = mp.fsum(mp.exp(a - top) * (k * step - z) / v
                   for k, a in zip(ks, terms)) / wsum
    rest = [mp.mpf(xi) - z * mp.mpf(ui) for xi, ui in zip(x, U)]
    d = len(x)
    logpdf = (-mp.fsum(r * r for r in rest) / 2
              - (d - 1) * mp.log(2 * mp.pi) / 2 + log_p1)
    score = [-r + dlog * mp.mpf(ui) for r, ui in zip(rest, U)]
    return {"x": x, "logpdf": out(logpdf), "score": [out(s) for s in score]}


def pancakes():
    cases = []
    for gamma, sigma in PANCAKE_PARAMS:
        for t in PANCAKE_TIMES:
            cases.append({"gamma": gamma, "sigma": sigma, "t": t, "u": U,
                          "points": [pancakes_point(gamma, sigma, t, x)
                                     for x in POINTS]})
    truncated = []
    for gamma, sigma, comps in TRUNCATED:
        for t in TRUNCATED_TIMES:
            kmax = (comps - 1) // 2
            truncated.append({
                "gamma": gamma, "sigma": sigma, "components": comps, "t": t,
                "u": U, "points": [pancakes_point(gamma, sigma, t, x, kmax)
                                   for x in POINTS[:6]]})
    return {"about": PANCAKES_ABOUT, "pancakes": cases,
            "truncated": truncated}


# -- section 2: isotropic mixtures -----------------------------------------

def gmm_point(variance, t, x):
    tt = mp.mpf(t)
    e = mp.exp(-tt)
    v = mp.exp(-2 * tt) * mp.mpf(variance) + 1 - mp.exp(-2 * tt)
    d = len(x)
    means = [[e * mp.mpf(m) for m in row] for row in GMM_MEANS]
    terms = [mp.log(mp.mpf(w))
             - mp.fsum((mp.mpf(xi) - mi) ** 2 for xi, mi in zip(x, m))
             / (2 * v) - d * mp.log(2 * mp.pi * v) / 2
             for w, m in zip(GMM_WEIGHTS, means)]
    logpdf = lse(terms)
    r = [mp.exp(a - logpdf) for a in terms]
    score = [mp.fsum(ri * (m[j] - mp.mpf(x[j])) / v
                     for ri, m in zip(r, means)) for j in range(d)]
    return {"x": x, "logpdf": out(logpdf), "score": [out(s) for s in score]}


def gmm():
    cases = []
    for variance in GMM_VARIANCES:
        for t in GMM_TIMES:
            cases.append({"means": GMM_MEANS, "weights": GMM_WEIGHTS,
                          "variance": variance, "t": t,
                          "points": [gmm_point(variance, t, x)
                                     for x in POINTS[:7]]})
    return {"about": GMM_ABOUT, "gmm": cases}


# -- proto/API.md commitments and docs/MATH.md section 4's f ---------------

SALT = bytes(range(32))
F_KEY = bytes(range(0x64, 0x84))
# The challenge vector's rounds: three instance commitments, given.
ROUND_COMMITMENTS = [
    "03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314",
    "ee155ace9c40292074cb6aff8c9ccdd273c81648ff1149ef36bcea6ebb8a3e25",
    "bb30a42c1e62f0afda5f0a4e8a562f7a13a24cea00ee81917b86b89e801314aa",
]
OWF_SEEDS = [(8, 8, [1, 0, 1, 1, 0, 0, 1, 0]),
             (12, 16, [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]),
             (3, 5, [0, 1, 1])]


def f64le(values):
    return struct.pack("<%dd" % len(values), *values)


def instance_commitment(salt, inst_id, secret_bytes):
    msg = b"scoracle-commit-v1\x00" + inst_id.encode() + b"\x00" + \
        secret_bytes
    return hashlib.blake2b(msg, digest_size=32, key=salt).hexdigest()


def pack_bits(bits):
    out = bytearray((len(bits) + 7) // 8)
    for i, b in enumerate(bits):
        out[i // 8] |= b << (i % 8)
    return bytes(out)


def owf_f(key, seed_bits, image_bits):
    h = hashlib.blake2b(pack_bits(seed_bits), digest_size=64, key=key)
    digest = h.digest()
    return [(digest[i // 8] >> (i % 8)) & 1 for i in range(image_bits)]


def crypto():
    secret = f64le(U)
    inst = {"salt": SALT.hex(), "id": "inst-vector-1", "secret": {"u": U},
            "secret_bytes_hex": secret.hex(),
            "commitment": instance_commitment(SALT, "inst-vector-1",
                                              secret)}
    coins = [1, 0, 1]
    rounds = ROUND_COMMITMENTS
    msg = b"scoracle-challenge-v1\x00chal-vector-1\x00" + b"".join(
        bytes([c]) + bytes.fromhex(r) for c, r in zip(coins, rounds))
    chal = {"salt": SALT.hex(), "id": "chal-vector-1", "coins": coins,
            "round_commitments": rounds,
            "commitment": hashlib.blake2b(msg, digest_size=32,
                                          key=SALT).hexdigest()}
    cases = [{"seed_bits": n, "image_bits": m, "seed": seed,
              "seed_hex": pack_bits(seed).hex(),
              "f": owf_f(F_KEY, seed, m)} for n, m, seed in OWF_SEEDS]
    return {"about": CRYPTO_ABOUT, "instance_commitment": inst,
            "challenge_commitment": chal,
            "owf_f": {"f_key": F_KEY.hex(), "cases": cases}}


# -- writing and checking ----------------------------------------------------

def printed(v):
    """A number as the committed files print it."""
    return float("%.*g" % (DIGITS, v))


def differences(new, old, where=""):
    """Paths at which new and old differ (numbers compared as printed)."""
    if isinstance(new, dict) and isinstance(old, dict):
        if set(new) != set(old):
            return ["%s: members %s vs %s" % (where, sorted(new),
                                              sorted(old))]
        return [d for k in new
                for d in differences(new[k], old[k], "%s.%s" % (where, k))]
    if isinstance(new, list) and isinstance(old, list):
        if len(new) != len(old):
            return ["%s: %d vs %d items" % (where, len(new), len(old))]
        return [d for i, (a, b) in enumerate(zip(new, old))
                for d in differences(a, b, "%s[%d]" % (where, i))]
    if isinstance(new, float) and isinstance(old, (int, float)) \
            and not isinstance(old, bool):
        return [] if printed(new) == printed(old) else [
            "%s: %r vs %r" % (where, new, old)]
    return [] if new == old else ["%s: %r vs %r" % (where, new, old)]


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    folder = args[0] if args else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "tests", "vectors")
    made = {"pancakes": pancakes(), "gmm": gmm(), "crypto": crypto()}
    bad = 0
    for name, doc in made.items():
        path = os.path.join(folder, name + ".json")
        if not check:
            with open(path, "w") as f:
                json.dump(doc, f, indent=1)
                f.write("\n")
            continue
        with open(path) as f:
            diffs = differences(doc, json.load(f), name)
        bad += len(diffs)
        for d in diffs[:20]:
            print("differs: " + d)
        print("%s: %s" % (path, "matches" if not diffs else
                          "%d differences" % len(diffs)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
