"""Pancakes score and log-density in numpy, as a careful researcher would
write them: vectorised over points and over a window of k, log-sum-exp
around the dominant pancake, same accuracy as the C path (the square in k
completed, no 1 - big differences).  Same settings as bench_pancakes.c;
prints "BENCH name ms" lines for bench/pancakes.sh.

Run with /usr/bin/python3 and OPENBLAS_NUM_THREADS=1.
"""
import math
import time

import numpy as np

N, DIM, REPS = 4096, 256, 15
SETTINGS = [("direct", 6.0, 0.05, 0.0), ("dual", 32.0, 0.1, 0.5)]


class Pancakes:
    """P_t of docs/MATH.md section 1 for a unit u, untruncated."""

    def __init__(self, u, gamma, sigma, t):
        ln_q = -2 * t - math.log1p(sigma * sigma)
        self.u = u
        self.v = -math.expm1(ln_q)
        sq = math.exp(0.5 * ln_q)
        self.a_over_v = math.sqrt(2 * math.pi) * sq / gamma / self.v
        self.kappa = gamma * sq / math.sqrt(2 * math.pi)
        self.big_a = math.pi / (gamma * gamma * self.v)
        # terms beyond |k - k*| > J are below 1e-18 of the largest
        self.j = np.arange(-self.window(), self.window() + 1, dtype=float)
        ks = np.arange(-60 * gamma, 60 * gamma + 1)
        self.log_z = math.log(np.exp(-math.pi * ks**2 / gamma**2).sum())
        self.const = (-self.log_z - 0.5 * math.log(self.v)
                      - 0.5 * len(u) * math.log(2 * math.pi))

    def window(self):
        return int(math.ceil(0.5 + math.sqrt(41.5 / self.big_a)))

    def _terms(self, z):
        """(log S, kbar - k*) per point: log-sum-exp over the k window."""
        kstar = self.kappa * z
        off = np.rint(kstar)[:, None] - kstar[:, None] + self.j[None, :]
        logits = -self.big_a * off * off
        top = logits.max(axis=1, keepdims=True)
        w = np.exp(logits - top)
        s = w.sum(axis=1)
        return top[:, 0] + np.log(s), (w * off).sum(axis=1) / s

    def score(self, x):
        _, dk = self._terms(x @ self.u)
        out = np.multiply.outer(self.a_over_v * dk, self.u)
        out -= x
        return out

    def logpdf(self, x):
        log_s, _ = self._terms(x @ self.u)
        return self.const + log_s - 0.5 * np.einsum("ij,ij->i", x, x)


def sample(rng, u, gamma, sigma, t, n):
    """Points of P_t: k from the discrete Gaussian, z along u, N(0, I) across."""
    ln_q = -2 * t - math.log1p(sigma * sigma)
    a = math.sqrt(2 * math.pi) * math.exp(0.5 * ln_q) / gamma
    ks = np.arange(-60 * gamma, 60 * gamma + 1)
    p = np.exp(-math.pi * ks**2 / gamma**2)
    k = rng.choice(ks, size=n, p=p / p.sum())
    z = a * k + math.sqrt(-math.expm1(ln_q)) * rng.standard_normal(n)
    xi = rng.standard_normal((n, len(u)))
    return xi + np.outer(z - xi @ u, u)


def best(f, *args):
    times = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        f(*args)
        times.append(time.perf_counter() - t0)
    return 1e3 * min(times)


def main():
    rng = np.random.default_rng(7)
    u = rng.standard_normal(DIM)
    u /= np.linalg.norm(u)
    for label, gamma, sigma, t in SETTINGS:
        pk = Pancakes(u, gamma, sigma, t)
        x = sample(rng, u, gamma, sigma, t, N)
        ts, tl = best(pk.score, x), best(pk.logpdf, x)
        print(f"numpy pancakes {label}: score {ts:.3g} ms, logpdf {tl:.3g} ms")
        print(f"BENCH numpy_pancakes_score_{label}_ms {ts:.6g}")
        print(f"BENCH numpy_pancakes_logpdf_{label}_ms {tl:.6g}")


if __name__ == "__main__":
    main()
