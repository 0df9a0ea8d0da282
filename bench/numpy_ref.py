#!/usr/bin/python3
"""numpy doing what bench/bench_core.c times, as a careful researcher would
write it: vectorised over points and components, single-threaded BLAS
(OPENBLAS_NUM_THREADS=1), the same dgemm-style mixture math.  Timed in
thread CPU time, as bench_core is.

Usage: numpy_ref.py FIGURE...   (default: every figure)
Prints "name value unit" lines, as bench_core does.  Each figure is a
function of this module named bench_<name>; bench/core.sh calls them by
name, so a new figure is a new function.
"""
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402  (after the thread setting)

RUNS = 15
N, D, K, T = 4096, 256, 64, 0.5
T_BLUR = 3.0  # responsibilities spread over many components
LSE_MARGIN = 50.0


def best_time(fn, *args):
    best = float("inf")
    for _ in range(RUNS):
        t0 = time.thread_time()
        fn(*args)
        best = min(best, time.thread_time() - t0)
    return best


def report(name, per_run, seconds, unit):
    print("%-17s %.4g %s" % (name, per_run / seconds, unit))


def bench_normals():
    rng = np.random.default_rng(42)
    out = np.empty(1 << 20)
    report("normals", out.size,
           best_time(lambda: rng.standard_normal(out=out)), "normals/s")


class Mixture:
    """K isotropic components at OU time t, as in docs/MATH.md 2."""

    def __init__(self, means, weights, variance, t):
        self.means = means
        self.logw = np.log(weights)
        self.mnorm2 = np.einsum("ij,ij->i", means, means)
        self.et, e2t = np.exp(-t), np.exp(-2 * t)
        self.vt = e2t * variance - np.expm1(-2 * t)
        self.shift = self.logw - 0.5 * e2t * self.mnorm2 / self.vt
        self.c = -0.5 * means.shape[1] * np.log(2 * np.pi * self.vt)

    def logits(self, x):
        a = x @ self.means.T  # the dgemm
        a *= self.et / self.vt
        a += self.shift
        return a

    def score(self, x):
        r = self.logits(x)
        r -= r.max(axis=1, keepdims=True)
        # Negligible terms to exactly 0, as bench_core does: subnormal
        # responsibilities would slow exp and the second dgemm tenfold.
        r[r < -LSE_MARGIN] = -np.inf
        np.exp(r, out=r)
        r /= r.sum(axis=1, keepdims=True)
        s = r @ self.means  # the second dgemm
        s *= self.et
        s -= x
        s /= self.vt
        return s

    def logpdf(self, x):
        a = self.logits(x)
        m = a.max(axis=1)
        a -= m[:, None]
        a[a < -LSE_MARGIN] = -np.inf
        np.exp(a, out=a)
        lse = m + np.log(a.sum(axis=1))
        xn = np.einsum("ij,ij->i", x, x)
        return self.c - xn / (2 * self.vt) + lse


def mixture_batch(t):
    rng = np.random.default_rng(7)
    means = 3.0 * rng.standard_normal((K, D))
    g = Mixture(means, np.full(K, 1.0 / K), 1.0, t)
    comp = rng.integers(0, K, N)
    x = g.et * means[comp] + np.sqrt(g.vt) * rng.standard_normal((N, D))
    return g, x


def bench_gmm_score():
    g, x = mixture_batch(T)
    report("gmm_score", N, best_time(g.score, x), "points/s")


def bench_gmm_logpdf():
    g, x = mixture_batch(T)
    report("gmm_logpdf", N, best_time(g.logpdf, x), "points/s")


def bench_gmm_score_blur():
    g, x = mixture_batch(T_BLUR)
    report("gmm_score_blur", N, best_time(g.score, x), "points/s")


def main(names):
    figures = sorted(n[6:] for n in globals() if n.startswith("bench_"))
    for name in names or figures:
        if name not in figures:
            sys.exit("numpy_ref.py: unknown figure %s (have %s)"
                     % (name, ", ".join(figures)))
        globals()["bench_" + name]()


if __name__ == "__main__":
    main(sys.argv[1:])
