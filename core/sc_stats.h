/*
 * Game statistics of docs/MATH.md section 5, as pure functions.
 */
#ifndef SC_STATS_H
#define SC_STATS_H

#include <stddef.h>

/* One-sided exact binomial p-value P[X >= correct], X ~ Bin(rounds, 1/2). */
double sc_binom_pvalue(unsigned correct, unsigned rounds);
/* 2 acc - 1. */
double sc_advantage(unsigned correct, unsigned rounds);
/* |<a, b>| / (|a| |b|); 0 when either is the zero vector. */
double sc_abs_cos(const double *a, const double *b, size_t d);
/* mean over n points of |est_j - truth_j|^2 (rows of length d). */
double sc_score_mse(const double *est, const double *truth, size_t n,
                    size_t d);
/* The same error for the Gaussian guess s(x) = -x. */
double sc_score_mse_gauss(const double *x, const double *truth, size_t n,
                          size_t d);
/* Fraction of the n values with |est - truth| <= eps. */
double sc_pac_fraction(const double *est, const double *truth, size_t n,
                       double eps);

#endif
