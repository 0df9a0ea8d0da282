"""An independent numpy/scipy implementation of docs/MATH.md sections 1,
2 and 4 (the laws, log-densities and scores the server must serve), written
from the formulas alone, for the statistical tests.

Every sum over pancakes runs over a fixed wide window of k and every
mixture is a log-sum-exp, so nothing here shares the server's windowing or
its GEMM distances: agreement is evidence, not an echo.
"""
import hashlib
import math

import numpy as np
from scipy.special import logsumexp, ndtr

LOG_2PI = math.log(2 * math.pi)


# --- Gaussian pancakes (section 1) ----------------------------------------

class PancakeLaw:
    """The 1-D mixture along u at OU time t: log weights, means mu_k(t) and
    the common variance v_t.  components = 0 keeps every k that matters
    (|k| <= 8 gamma + 2, whose tail weight is below exp(-64 pi)); an odd
    components keeps |k| <= K = (components - 1) / 2, weights renormalised
    over the kept k (the truncation of [C25] Def 10)."""

    def __init__(self, gamma, sigma, t=0.0, components=0):
        kmax = (components - 1) // 2 if components else math.ceil(8 * gamma) + 2
        self.k = np.arange(-kmax, kmax + 1, dtype=float)
        lw = -math.pi * self.k ** 2 / gamma ** 2
        self.logw = lw - logsumexp(lw)
        s2 = sigma * sigma
        self.mu = math.exp(-t) * math.sqrt(2 * math.pi) * self.k / (
            gamma * math.sqrt(1 + s2))
        self.v = 1 - math.exp(-2 * t) / (1 + s2)
        self.spacing = self.mu[1] - self.mu[0] if len(self.k) > 1 else math.inf

    def _terms(self, z):
        z = np.asarray(z, dtype=float)[:, None]
        return (self.logw - (z - self.mu) ** 2 / (2 * self.v)
                - 0.5 * math.log(2 * math.pi * self.v))

    def logp(self, z):
        return logsumexp(self._terms(z), axis=1)

    def _resp(self, z):
        a = self._terms(z)
        return np.exp(a - logsumexp(a, axis=1)[:, None])

    def dlogp(self, z):
        """d/dz log p1_t(z) = sum_k r_k (mu_k - z) / v."""
        z = np.asarray(z, dtype=float)
        r = self._resp(z)
        return (r @ self.mu - z) / self.v

    def d2logp(self, z):
        """The derivative of dlogp: Var_r(mu) / v^2 - 1 / v (the
        conditioning of the score along u)."""
        r = self._resp(z)
        m1 = r @ self.mu
        var = r @ self.mu ** 2 - m1 ** 2
        return var / self.v ** 2 - 1 / self.v

    def cdf(self, z):
        z = np.asarray(z, dtype=float)[:, None]
        return np.exp(self.logw) @ ndtr((z - self.mu) / math.sqrt(self.v)).T

    def second_moment(self):
        return float(np.exp(self.logw) @ self.mu ** 2 + self.v)

    def nearest_mean(self, z):
        """The mean of the nearest pancake (for separated pancakes)."""
        idx = np.rint((np.asarray(z) - self.mu[0]) / self.spacing)
        idx = np.clip(idx, 0, len(self.mu) - 1).astype(int)
        return self.mu[idx]


def pancakes_logpdf(x, u, law):
    x = np.atleast_2d(x)
    z = x @ u
    perp = x - np.outer(z, u)
    d = x.shape[1]
    return (-0.5 * np.sum(perp ** 2, axis=1) - 0.5 * (d - 1) * LOG_2PI
            + law.logp(z))


def pancakes_score(x, u, law):
    x = np.atleast_2d(x)
    z = x @ u
    perp = x - np.outer(z, u)
    return -perp + np.outer(law.dlogp(z), u)


# --- Gaussian mixtures (section 2) ----------------------------------------

class GmmLaw:
    """sum_i pi_i N(m_i(t), v(t) I) with m_i(t) = e^{-t} m_i and
    v(t) = e^{-2t} v + 1 - e^{-2t}."""

    def __init__(self, means, weights, variance, t=0.0):
        self.means = math.exp(-t) * np.asarray(means, dtype=float)
        self.weights = np.asarray(weights, dtype=float)
        self.v = math.exp(-2 * t) * variance - math.expm1(-2 * t)

    def _terms(self, x):
        x = np.atleast_2d(x)
        d = x.shape[1]
        # Direct differences, not the GEMM form the server uses.
        dist2 = np.sum((x[:, None, :] - self.means[None, :, :]) ** 2, axis=2)
        return (np.log(self.weights) - dist2 / (2 * self.v)
                - 0.5 * d * math.log(2 * math.pi * self.v))

    def logpdf(self, x):
        return logsumexp(self._terms(x), axis=1)

    def score(self, x):
        x = np.atleast_2d(x)
        a = self._terms(x)
        r = np.exp(a - logsumexp(a, axis=1)[:, None])
        return (r @ self.means - x) / self.v

    def projected_cdf(self, w):
        """The CDF of <x, w>: sum_i pi_i N(<m_i(t), w>, v |w|^2)."""
        centers = self.means @ w
        sd = math.sqrt(self.v) * np.linalg.norm(w)

        def cdf(y):
            y = np.asarray(y, dtype=float)[:, None]
            return ndtr((y - centers) / sd) @ self.weights
        return cdf

    def mean(self):
        return self.weights @ self.means

    def cov(self):
        c = self.means - self.mean()
        d = self.means.shape[1]
        return (c.T * self.weights) @ c + self.v * np.eye(d)

    def second_moment(self):
        d = self.means.shape[1]
        return float(self.weights @ np.sum(self.means ** 2, axis=1)
                     + d * self.v)


# --- N(0, I) ---------------------------------------------------------------

def gaussian_logpdf(x):
    x = np.atleast_2d(x)
    return -0.5 * np.sum(x ** 2, axis=1) - 0.5 * x.shape[1] * LOG_2PI


# --- the one-way-function family (section 4) ------------------------------

def owf_f(f_key_hex, seed, n, m):
    """The first m bits of BLAKE2b-512(key = f_key, message = the seed packed
    into ceil(n / 8) bytes), bit i of B being (B[i // 8] >> (i % 8)) & 1."""
    packed = int(seed).to_bytes((n + 7) // 8, "little")
    h = hashlib.blake2b(packed, digest_size=64,
                        key=bytes.fromhex(f_key_hex)).digest()
    return np.array([(h[i // 8] >> (i % 8)) & 1 for i in range(m)])


def owf_image_table(params):
    """f of every seed, rows indexed by the seed's integer value."""
    n, m = params["seed_bits"], params["image_bits"]
    return np.array([owf_f(params["f_key"], s, n, m) for s in range(2 ** n)])


def owf_seed_of(u_block):
    """The seed an orthant names: bit i is 1[U_i > 0]."""
    bits = (np.asarray(u_block) > 0).astype(np.int64)
    return bits @ (1 << np.arange(bits.shape[1], dtype=np.int64))


def owf_coset(params, b):
    """The discrete Gaussian on delta (Z + b / 2) with envelope tau: its
    points and probabilities, over a window reaching 10 tau from 0, which
    holds all but about exp(-50) of the mass."""
    delta, tau = params["delta"], params["tau"]
    kmax = math.ceil(10 * tau / delta) + 2
    a = delta * (np.arange(-kmax, kmax + 1) + 0.5 * b)
    lw = -a ** 2 / (2 * tau ** 2)
    return a, np.exp(lw - logsumexp(lw))


def owf_noise_sd(params, t):
    """The width of every component at OU time t."""
    return math.sqrt(math.exp(-2 * t) * params["s0"] ** 2 - math.expm1(-2 * t))


def owf_seed_cdf(params, t):
    """CDF of one seed coordinate: 1/2 N(-R e^{-t}, sd^2) + 1/2 N(R e^{-t}, sd^2)."""
    mu, sd = params["radius"] * math.exp(-t), owf_noise_sd(params, t)

    def cdf(y):
        y = np.asarray(y, dtype=float)
        return 0.5 * (ndtr((y - mu) / sd) + ndtr((y + mu) / sd))
    return cdf


def owf_image_cdf(params, t, p_one):
    """CDF of image coordinate j, with P(b_j = 1) = p_one over uniform
    seeds: a mixture over b of the coset's discrete Gaussian, scaled by
    e^{-t} and widened to sd."""
    sd = owf_noise_sd(params, t)
    parts = []
    for b, pb in ((0, 1 - p_one), (1, p_one)):
        a, w = owf_coset(params, b)
        parts.append((math.exp(-t) * a, pb * w))
    centers = np.concatenate([c for c, _ in parts])
    weights = np.concatenate([w for _, w in parts])

    def cdf(y):
        y = np.asarray(y, dtype=float)[:, None]
        return ndtr((y - centers) / sd) @ weights
    return cdf
