"""The attacks a strong challenger tries first on a distinguish round,
as pure functions of the round's samples and public parameters.

Every attack has the same shape: it looks for a direction w on a
training part of the samples, then tests the law along w on the held-out
part, where, w being fixed, the statistic's law under N(0, I) is known
(a normal or chi-square tail).  It answers planted when that tail is
below ALPHA, Bonferroni-corrected over its candidate directions, so an
attack that finds nothing wins a round with probability exactly 1/2
whatever the coin, and no calibration on null data is needed.

An attack is f(x, spec, rng) -> Verdict; spec holds the preset's public
parameters (dim, gamma, sigma).  docs/MATH.md section 6 says why each
should or should not work on each rung.
"""
import hashlib
import math
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp
from scipy.stats import norm

ALPHA = 1e-3


@dataclass
class Verdict:
    planted: bool
    direction: object  # the best candidate (unit vector) or None
    log10_p: float     # held-out tail probability of the best candidate


def spacing(gamma, sigma):
    """Distance between pancakes along u (docs/MATH.md section 1)."""
    return math.sqrt(2 * math.pi) / (gamma * math.sqrt(1 + sigma * sigma))


def split(x, n_train):
    n_train = min(n_train, len(x) // 2)
    return x[:n_train], x[n_train:]


def unit(w):
    w = np.asarray(w, dtype=float)
    return w / np.linalg.norm(w, axis=0, keepdims=True)


def decide(log_p_list, dirs):
    """Planted when the smallest held-out tail, times the number of
    candidates, is below ALPHA."""
    log_p = np.asarray(log_p_list, dtype=float)
    i = int(np.argmin(log_p))
    bonf = log_p[i] + math.log(len(log_p))
    return Verdict(bonf < math.log(ALPHA), dirs[i], bonf / math.log(10))


# --- held-out tests along a fixed direction ---------------------------

def log_p_normal(zscore):
    """log of the two-sided normal tail."""
    return math.log(2) + norm.logsf(abs(zscore))


def variance_test(z):
    """mean z^2 - 1 against N(0, 2 / n)."""
    return log_p_normal((np.mean(z * z) - 1) * math.sqrt(len(z) / 2))


HERMITE = {
    4: (lambda z: (z**4 - 6 * z**2 + 3) / math.sqrt(24)),
    6: (lambda z: (z**6 - 15 * z**4 + 45 * z**2 - 15) / math.sqrt(720)),
}


def hermite_test(z, k):
    """mean He_k(z) / sqrt(k!) against N(0, 1 / n)."""
    return log_p_normal(np.mean(HERMITE[k](z)) * math.sqrt(len(z)))


def fourier_test(z, omega):
    """n |mean exp(i omega z)|^2 is about Exp(1) under N(0, 1) (its mean
    exp(-omega^2 / 2) is below 1e-5 at every comb frequency here)."""
    c, s = np.mean(np.cos(omega * z)), np.mean(np.sin(omega * z))
    return -len(z) * (c * c + s * s)


# --- the attacks ------------------------------------------------------

def pca(x, spec, rng):
    """Both ends of the spectrum of the sample covariance."""
    tr, te = split(x, len(x) // 2)
    vals, vecs = np.linalg.eigh(tr.T @ tr / len(tr))
    dirs = [vecs[:, -1], vecs[:, 0]]
    return decide([variance_test(te @ w) for w in dirs], dirs)


def _pursuit(tr, k, w):
    """FastICA's fixed point for the contrast He_k, one direction."""
    he = np.polynomial.hermite_e
    g = he.hermeder([0] * k + [1])           # He_k' = k He_{k-1}
    dg = he.hermeder(g)
    for _ in range(40):
        z = tr @ w
        new = tr.T @ he.hermeval(z, g) / len(tr) \
            - np.mean(he.hermeval(z, dg)) * w
        new /= np.linalg.norm(new)
        done = abs(abs(new @ w) - 1) < 1e-10
        w = new
        if done:
            break
    return w


def hermite(x, spec, rng, restarts=4):
    """Projection pursuit on the 4th and 6th Hermite moments (FastICA
    with those contrasts), from random starts."""
    tr, te = split(x, len(x) // 2)
    dirs, log_p = [], []
    for k in (4, 6):
        for _ in range(restarts):
            w = _pursuit(tr, k, unit(rng.standard_normal(x.shape[1])))
            dirs.append(w)
            log_p.append(hermite_test(te @ w, k))
    return decide(log_p, dirs)


def _comb_power(z, omega):
    return np.abs(np.mean(np.exp(1j * omega * z), axis=0)) ** 2


def fourier(x, spec, rng, directions=20000, n_search=400, chunk=2000):
    """Search over random directions for one where the samples line up
    at the comb frequency 2 pi / a, then climb from the best few."""
    omega = 2 * math.pi / spacing(spec["gamma"], spec["sigma"])
    tr, te = split(x, n_search)
    best_p, best_w = [], []
    for start in range(0, directions, chunk):
        w = unit(rng.standard_normal((x.shape[1], chunk)))
        p = _comb_power(tr @ w, omega)
        i = np.argsort(p)[-4:]
        best_p.extend(p[i])
        best_w.extend(w[:, i].T)
    order = np.argsort(best_p)[-3:]
    dirs = [_climb(tr, best_w[i], omega) for i in order]
    return decide([fourier_test(te @ w, omega) for w in dirs], dirs)


def _climb(tr, w, omega, steps=30):
    """Gradient ascent on |mean exp(i omega <x, w>)|^2 over the sphere."""
    lr = 0.5 / omega
    for _ in range(steps):
        e = np.exp(1j * omega * (tr @ w))
        m = np.mean(e)
        grad = np.real(np.conj(m) * 1j * omega * (tr.T @ e) / len(tr))
        w = unit(w + lr * grad / (np.linalg.norm(grad) + 1e-300))
    return w


def lattice(x, spec, rng, block=None, factor=3, tries=1):
    """The CLWE attack: <x_i, u> is near a k_i, k_i an integer, so k is
    an integer vector whose part off the column span of X is short.  LLL
    (or BKZ with the given block size) on rows [I_m | W Q], Q an
    orthonormal basis of that orthogonal complement, m = factor d, finds
    it; u is then X^+ a k.  The weight W = sqrt(m / d) s_k a / sigma, s_k
    = gamma / sqrt(2 pi) the spread of k, makes the planted vector
    shortest against the rest by the most (docs/MATH.md 6.4).  With
    tries > 1 it runs again on the next m samples while nothing passed
    the held-out test (the samples after every block tried)."""
    m = factor * x.shape[1]
    te = x[tries * m:]
    omega = 2 * math.pi / spacing(spec["gamma"], spec["sigma"])
    dirs, log_p = [], []
    for t in range(tries):
        for w in _reduce(x[t * m:(t + 1) * m], spec, block):
            dirs.append(w)
            log_p.append(fourier_test(te @ w, omega))
        if dirs and decide(log_p, dirs).planted:
            break
    if not dirs:
        return Verdict(False, None, 0.0)
    return decide(log_p, dirs)


def _reduce(xs, spec, block):
    """Candidate directions from the first rows of the reduced basis."""
    from fpylll import BKZ, LLL, IntegerMatrix
    from fpylll.algorithms.bkz2 import BKZReduction
    m, d = xs.shape
    a = spacing(spec["gamma"], spec["sigma"])
    q = np.linalg.qr(xs, mode="complete")[0][:, d:]
    s_k = max(spec["gamma"] / math.sqrt(2 * math.pi), 1.0)
    wgt = a / spec["sigma"] * s_k * math.sqrt(m / d)
    scale = 2.0 ** 24
    basis = np.hstack([np.eye(m), wgt * q]) * scale
    b = IntegerMatrix.from_matrix(np.rint(basis).astype(np.int64).tolist())
    LLL.reduction(b)
    if block is not None:
        BKZReduction(b)(BKZ.EasyParam(block, max_loops=16))
    out = []
    for r in range(min(4, m)):
        k = np.array([b[r, j] for j in range(m)], dtype=float) / scale
        if np.any(np.abs(k) > 0.5):
            out.append(unit(np.linalg.lstsq(xs, a * np.rint(k),
                                            rcond=None)[0]))
    return out


def bkz(x, spec, rng, **kw):
    return lattice(x, spec, rng, block=20, **kw)


def pancakes_log_ratio(z, gamma, sigma, components=0):
    """log p1(z) - log N(z; 0, 1), p1 the law along u (MATH.md 1)."""
    a = spacing(gamma, sigma)
    v = sigma * sigma / (1 + sigma * sigma)
    half = int(math.ceil(8 * gamma)) + 2
    k = np.arange(-half, half + 1)
    if components:
        k = k[np.abs(k) <= (components - 1) // 2]
    lw = -math.pi * k * k / gamma**2
    lw -= logsumexp(lw)
    out = np.empty(len(z))
    for s in range(0, len(z), 4096):
        zz = z[s:s + 4096, None]
        out[s:s + 4096] = logsumexp(lw - (zz - a * k) ** 2 / (2 * v), axis=1)
    return out - 0.5 * math.log(v) + z * z / 2


def known_secret(x, u, spec):
    """The likelihood-ratio test along the true u: planted iff the
    summed log ratio is positive (the Bayes rule for a fair coin)."""
    llr = pancakes_log_ratio(x @ u, spec["gamma"], spec["sigma"],
                             spec.get("components", 0))
    return bool(np.sum(llr) > 0)


ATTACKS = {"pca": pca, "hermite": hermite, "fourier": fourier,
           "lattice-lll": lattice, "lattice-bkz20": bkz}


# --- owf: brute force -------------------------------------------------

def bhat(y, delta):
    """The image bits a measurement reads: bit j is 1 iff y_j is nearer
    delta Z + delta / 2 than delta Z, packed as API.md says."""
    frac = np.mod(np.asarray(y) / delta, 1.0)
    bits = ((frac >= 0.25) & (frac < 0.75)).astype(np.uint8)
    return np.packbits(bits, bitorder="little").tobytes()


def owf_brute_force(y, params, limit=None):
    """Every seed in turn until f(seed) = b_hat(y): the packed seed, or
    None when limit seeds were tried first."""
    n, m = params["seed_bits"], params["image_bits"]
    target = bhat(y, params["delta"])
    key = bytes.fromhex(params["f_key"])
    nb, mb = (n + 7) // 8, (m + 7) // 8
    mask = (1 << (m % 8)) - 1 if m % 8 else 0xFF
    tail = target[mb - 1] & mask
    head = target[:mb - 1]
    total = 1 << n if limit is None else min(1 << n, limit)
    for s in range(total):
        seed = s.to_bytes(nb, "little")
        h = hashlib.blake2b(seed, digest_size=64, key=key).digest()
        if h[:mb - 1] == head and (h[mb - 1] & mask) == tail:
            return seed
    return None
