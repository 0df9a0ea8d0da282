"""Hypothesis tests shared by the statistical tests.

Threshold policy (every test here): each assertion is a test at level
ALPHA = 1e-4 (Bonferroni-split when one test function makes several), so a
correct server fails a given assertion with probability <= 1e-4 on any key.
Sample sizes are chosen so that the bugs we guard against (a missing
sqrt(1 + sigma^2), a variance for a standard deviation, a wrong weight
normalisation, a forgotten e^{-t}) move the statistic several times past
the critical value; each test says by how much.
"""
import math

import numpy as np
from scipy import stats

ALPHA = 1e-4


def z_crit(k=1):
    """The two-sided normal critical value at ALPHA / k."""
    return float(stats.norm.isf(ALPHA / (2 * k)))


def assert_ks(sample, cdf, k=1, what=""):
    """One-sample KS of sample against cdf at level ALPHA / k."""
    res = stats.kstest(np.ravel(sample), cdf)
    assert res.pvalue > ALPHA / k, "%s: KS D = %.4g, p = %.3g (n = %d)" % (
        what, res.statistic, res.pvalue, np.size(sample))


def assert_ks2(a, b, k=1, what=""):
    """Two-sample KS at level ALPHA / k."""
    res = stats.ks_2samp(np.ravel(a), np.ravel(b))
    assert res.pvalue > ALPHA / k, "%s: KS D = %.4g, p = %.3g" % (
        what, res.statistic, res.pvalue)


def assert_chisq(counts, probs, k=1, what=""):
    """Pearson chi-square of counts against cell probabilities probs, cells
    expecting fewer than 5 pooled into one so the chi-square law holds."""
    counts = np.asarray(counts, dtype=float)
    probs = np.asarray(probs, dtype=float)
    n = counts.sum()
    expected = n * probs / probs.sum()
    small = expected < 5
    if small.any():
        counts = np.append(counts[~small], counts[small].sum())
        expected = np.append(expected[~small], expected[small].sum())
    res = stats.chisquare(counts, expected)
    assert res.pvalue > ALPHA / k, "%s: chi2 = %.4g on %d cells, p = %.3g" % (
        what, res.statistic, len(counts), res.pvalue)


def assert_mean(x, mean, cov, k=1, what=""):
    """n (xbar - mean)^T cov^{-1} (xbar - mean) ~ chi2(d) (CLT; n large)."""
    x = np.atleast_2d(x)
    n, d = x.shape
    diff = x.mean(axis=0) - mean
    stat = n * diff @ np.linalg.solve(cov, diff)
    p = stats.chi2.sf(stat, d)
    assert p > ALPHA / k, "%s: mean chi2 = %.4g (d = %d), p = %.3g" % (
        what, stat, d, p)


def assert_mean_scalar(values, expected, k=1, what=""):
    """|mean - expected| within z_crit standard errors (sample variance)."""
    values = np.ravel(values)
    se = values.std(ddof=1) / math.sqrt(len(values))
    dev = abs(values.mean() - expected)
    assert dev <= z_crit(k) * se, "%s: mean %.6g vs %.6g, %.2f se" % (
        what, values.mean(), expected, dev / se if se > 0 else math.inf)


def assert_uncorrelated(a, b, k=1, what=""):
    """Sample correlations of every column of a with every column of b are
    N(0, 1/n) under independence; the largest stays within z_crit."""
    a = (a - a.mean(axis=0)) / a.std(axis=0)
    b = (b - b.mean(axis=0)) / b.std(axis=0)
    n = a.shape[0]
    corr = a.T @ b / n
    pairs = corr.size
    worst = np.max(np.abs(corr)) * math.sqrt(n)
    assert worst <= z_crit(k * pairs), "%s: max |corr| sqrt(n) = %.3g" % (
        what, worst)
