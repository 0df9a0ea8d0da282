/*
 * The Gaussian pancakes of docs/MATH.md section 1, the numeric kernel
 * behind sc_family_pancakes.  Internal to core and its tests.
 *
 * Along u the planted density at OU time t is, with z = <x, u>,
 *
 *   log P_t(x) = -|x|^2/2 - (d/2) log(2 pi) - log Z - (1/2) log v_t
 *                + log S(k*),   S(k*) = sum_k exp(-A (k - k*)^2),
 *   grad log P_t(x) = -x + (a_t / v_t) (kbar - k*) u,
 *
 * where k* = kappa z maximises the exponent of the mixture over k,
 * A = pi / (gamma^2 v_t) is its curvature, and kbar is the mean of k
 * under the responsibilities exp(-A (k - k*)^2) / S.  This is MATH.md's
 * mixture with the square completed in k (its "comb" form): the orthogonal
 * part, -|x - z u|^2/2, and the -z^2/2 of every component combine to
 * -|x|^2/2 exactly, so no large terms cancel.  Truncation to |k| <= K
 * restricts both sums and replaces Z by the truncated normaliser.
 */
#ifndef SC_PANCAKES_H
#define SC_PANCAKES_H

#include <stdbool.h>
#include <stdint.h>

#include "sc_core.h"

/* Public parameters the family accepts, chosen so that the accuracy of
 * sc_pancakes_kernel holds over all of them (tests/unit/test_pancakes.c
 * checks the corners against long-double sums). */
#define SC_PK_GAMMA_MIN 0.01
#define SC_PK_GAMMA_MAX 1000.0
#define SC_PK_SIGMA_MIN 1e-6
#define SC_PK_SIGMA_MAX 100.0

/* Most Poisson-dual terms ever needed (beta > 1). */
#define SC_PK_MAXDUAL 4

/* Everything about P_t that does not depend on the point. */
typedef struct sc_pk_time {
    double a;       /* spacing along u: mu_k(t) = a k */
    double a_over_v; /* the score is -x + a_over_v (kbar - k*) u */
    double kappa;   /* k* = kappa z */
    double v;       /* variance of one pancake */
    double big_a;   /* A = pi / (gamma^2 v) */
    double exp_m2a; /* exp(-2 A): ratio step of the direct sums */
    double lo, hi;  /* the k kept (+-inf when untruncated) */
    int jmax;       /* direct window: |k - k0| <= jmax */
    bool dual;      /* beta > 1: the Poisson-dual series where allowed */
    int mdual;      /* dual terms m = 1..mdual */
    double log_beta;                   /* log sqrt(pi / A) */
    double eps[SC_PK_MAXDUAL + 1];     /* exp(-pi^2 m^2 / A) */
    double log_const; /* -log Z - (1/2) log v */
} sc_pk_time;

/* Constants of P_t for the given public parameters (already validated)
 * and log Z (sc_dgauss_norm of gamma and the truncation). */
void sc_pk_time_init(sc_pk_time *tc, double gamma, double sigma,
                     uint32_t components, double log_z, double t);

/* log S(k*) (skipped when log_s is NULL) and kbar - k* at k* = kappa z;
 * NaN for a non-finite k* (an input so large that <x, u> overflows). */
void sc_pk_kernel(const sc_pk_time *tc, double kstar, double *log_s,
                  double *dk);

/* Replaces the secret direction of a pancakes distribution by u (dim
 * entries, used as given, not renormalised): reference vectors give
 * their own u.  Call before the distribution is shared. */
void sc_pancakes_set_u(sc_dist *d, const double *u);

#endif
