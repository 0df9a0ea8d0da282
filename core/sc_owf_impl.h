/*
 * Internal to the owf family (core/sc_owf*.c); nothing outside core
 * includes this.  See sc_owf.h for the family and docs/MATH.md
 * section 4 for the formulas.
 *
 * The V_j marginal given b at OU time t is a 1-D comb.  Completing the
 * square between the envelope exp(-a^2 / (2 tau^2)) and the component
 * N(e^{-t} a, v_t) gives
 *   log q_b(V) = -log Z_b - log(2 pi v_t) / 2 - env V^2 / 2
 *                + log theta_alpha(dtheta V - b / 2),
 *   theta_alpha(x) = sum_k exp(-alpha (k - x)^2),
 * with env = 1 / (tau_t^2 + v_t), dtheta = tau_t^2 env / delta_t,
 * alpha = delta_t^2 / (2 w^2), w^2 = tau_t^2 v_t env (the component
 * width relative to the lattice, as in MATH.md) and tau_t = e^{-t} tau,
 * delta_t = e^{-t} delta.  theta is 1-periodic.
 */
#ifndef SC_OWF_IMPL_H
#define SC_OWF_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "sc_core.h"

/* Parameter limits (sc_owf.c's spec table) and defaults. */
#define SC_OWF_MAX_RADIUS 100.0
#define SC_OWF_MAX_DELTA 100.0
#define SC_OWF_MAX_TAU 1e4
#define SC_OWF_MAX_TAU_RATIO 1000.0 /* tau / delta: sampler table size */
#define SC_OWF_MAX_NOISE 10.0

/* What one OU time fixes. */
typedef struct sc_owf_time {
    double mu;         /* seed vertex e^{-t} R */
    double v;          /* component variance v_t */
    double env;        /* 1 / (tau_t^2 + v_t) */
    double dtheta;     /* phase per unit of V */
    double alpha;      /* sharpness of the comb */
    double lognorm[2]; /* -log Z_b - log(2 pi v_t) / 2 */
} sc_owf_time;

/* The lattice sampler of one coset: inverse CDF over a window. */
typedef struct sc_owf_lattice {
    int64_t kmin;
    size_t len;
    double *cdf; /* cdf[len - 1] == 1 */
} sc_owf_lattice;

typedef struct sc_owf_priv {
    double logz[2];         /* log Z_b, the coset normalisers */
    double t_switch;        /* fast score: blurred form from here on */
    uint8_t *ftab;          /* f(x) for every x when n is small */
    sc_owf_lattice lat[2];  /* a_j given b_j */
} sc_owf_priv;

/* sc_owf_comb.c */
void sc_owf_theta(double alpha, double x, double *logth, double *psi);
void sc_owf_logz(const sc_params *p, double logz[2]);
void sc_owf_time_init(sc_owf_time *c, const sc_params *p,
                      const double logz[2], double t);
/* log q_b(V) and d/dV log q_b(V), for one b or for b = 0, 1. */
void sc_owf_comb_one(const sc_owf_time *c, double v, unsigned b,
                     double *lq, double *sq);
void sc_owf_comb(const sc_owf_time *c, double v, double lq[2],
                 double sq[2]);
/* d/dV log of the phase-averaged comb (q_0 + q_1) / 2, finite for
 * every finite V. */
double sc_owf_comb_blur(const sc_owf_time *c, double v);
/* log N(u; -mu, v) and log N(u; mu, v). */
void sc_owf_vertex(const sc_owf_time *c, double u, double lu[2]);
/* d/du log of the two-point mixture (N(-mu, v) + N(mu, v)) / 2. */
double sc_owf_vertex_score(const sc_owf_time *c, double u);

/* sc_owf_regime.c: the switch time, or a field error naming the
 * parameter to change and its allowed range. */
int sc_owf_regimes(const sc_params *p, double *t_switch, sc_error *err);

/* sc_owf_exact.c */
int sc_owf_ftab_init(sc_owf_priv *pv, const sc_params *p);
int sc_owf_exact_logpdf(const sc_dist *d, size_t npts, const double *x,
                        double t, double *out);

/* sc_owf_sample.c */
int sc_owf_lattice_init(sc_owf_priv *pv, const sc_params *p);
void sc_owf_lattice_free(sc_owf_priv *pv);
int sc_owf_sample(const sc_dist *d, uint64_t first, size_t n, double t,
                  double *out);

/* sc_owf.c: seed x (bit i = x_i) packed into sc_owf_bytes(n) bytes. */
void sc_owf_pack_seed(uint64_t x, unsigned n, uint8_t *bytes);

#endif
