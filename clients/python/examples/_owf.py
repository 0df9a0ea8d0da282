"""Helpers the two posterior-sampling examples share (docs/MATH.md
section 4): hidden targets, measurements and brute-force inversion."""

import itertools

import numpy as np

from scoracle import b_hat, owf_f


def params(inst):
    p = inst["params"]
    return (p["f_key"], p["seed_bits"], p["image_bits"], p["delta"],
            p["s_y"])


def measure(c, inst, count, rng):
    """count hidden samples X* = (U*, V*) and their measurements
    y = V* + N(0, s_y^2 I), drawn again where the phase of y misreads
    f(x*) (probability below 1e-15, as the server's game does)."""
    f_key, n, m, delta, s_y = params(inst)
    ys = []
    while len(ys) < count:
        x = c.samples(inst["id"], count - len(ys))
        for row in x:
            y = row[n:] + s_y * rng.standard_normal(m)
            seed = [1 if v > 0 else 0 for v in row[:n]]
            if owf_f(f_key, seed, n, m) == b_hat(y, delta):
                ys.append(y)
    return np.asarray(ys)


def preimages(inst, y):
    """Brute force: every seed whose image is b_hat(y), and how many
    evaluations of f the first one took."""
    f_key, n, m, delta, _ = params(inst)
    target = b_hat(y, delta)
    found, first = [], None
    for count, bits in enumerate(itertools.product((0, 1), repeat=n), 1):
        seed = list(reversed(bits))
        if owf_f(f_key, seed, n, m) == target:
            found.append(seed)
            if first is None:
                first = count
    return found, first


def seed_of(rows, n):
    return (np.asarray(rows)[:, :n] > 0).astype(int)
