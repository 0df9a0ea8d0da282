/*
 * Where the owf fast score may switch regimes, and whether it can.
 *
 * Error bounds at OU time t, per coordinate, at a typical point (seed
 * coordinates within SC_OWF_TYPICAL_SD sd of their vertex).  Write
 * s^b_j for the score of V_j's comb given b and ds for sup |s^1 - s^0|;
 * the exact V score is sum_b P(f_j = b | x) s^b_j, so
 *  - the blurred form (phase-averaged comb) is off by at most ds;
 *  - the orthant form s^{f_j(x_hat)} by at most P(x != x_hat) ds, where
 *    P(x != x_hat) <= ((1 + rho)^n - 1) r^m, rho the weight of the other
 *    vertex (exp(-2 mu |U_i| / v)) and r = sup_V q_{1-b} / q_b;
 *  - both use the two-point seed score; tilting a coordinate's two-point
 *    posterior by the V terms (ratio at most r^m) moves it by at most
 *    min(rho, 1/2) (r^m - 1), and the seed score by 2 mu / v times that.
 * With theta's derivative psi: |psi| <= alpha (sharp combs) and
 * |psi| <= 4 pi sum l e^{-pi^2 l^2 / alpha} / (1 - 2 sum e^{..})
 * (blurred ones), so ds <= 2 dtheta sup |psi|.
 *
 * Beyond SWITCH_T_MAX every bound decreases with t (mu, dtheta and alpha
 * all do once e^{2t} exceeds tau^2 + s0^2, which the limits on tau and
 * s0 guarantee), so a grid over [0, SWITCH_T_MAX] decides.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "sc_owf.h"
#include "sc_owf_impl.h"

#define SWITCH_T_MAX 10.0
#define SWITCH_GRID 1000 /* t_k = T_MAX (k / GRID)^2: dense near 0 */
#define BISECT_STEPS 40 /* for the switch time */
#define EDGE_STEPS 18   /* for a field's allowed range */
#define SUM_CUT 41.5    /* series terms below e^-41.5 < 1e-18 dropped */

typedef struct bounds {
    double blur_v, orth_v, seed;
} bounds;

static double grid_t(int k)
{
    double r = (double)k / SWITCH_GRID;
    return SWITCH_T_MAX * r * r;
}

static double sup_psi(double alpha)
{
    double best = alpha;
    if (alpha < 10) {
        int lmax = (int)ceil(sqrt(SUM_CUT * alpha) / M_PI) + 1;
        double s0 = 0, s1 = 0;
        for (int l = 1; l <= lmax; l++) {
            double q = exp(-M_PI * M_PI * (double)l * (double)l / alpha);
            s0 += q;
            s1 += (double)l * q;
        }
        if (2 * s0 < 1)
            best = fmin(best, 4 * M_PI * s1 / (1 - 2 * s0));
    }
    return best;
}

/* log sup_V q_{1-b}(V) / q_b(V) >= 0: theta peaks at 0 and dips at 1/2
 * (clamped at 0 against rounding when the two agree). */
static double log_ratio_sup(const sc_owf_time *c, const double logz[2])
{
    double l0, lh, psi;
    sc_owf_theta(c->alpha, 0.0, &l0, &psi);
    sc_owf_theta(c->alpha, 0.5, &lh, &psi);
    return fabs(logz[0] - logz[1]) + fmax(0, l0 - lh);
}

static double log_expm1(double y)
{
    return y > 30 ? y + log1p(-exp(-y)) : log(expm1(y));
}

/* log of ((1 + rho)^n - 1) for rho = exp(lrho). */
static double log_flip(double lrho, unsigned n)
{
    if (lrho < -40)
        return log((double)n) + lrho;
    return log(expm1((double)n * log1p(exp(lrho))));
}

static void bounds_at(const sc_params *p, const double logz[2], double t,
                      bounds *bd)
{
    sc_owf_time c;
    sc_owf_time_init(&c, p, logz, t);
    double ds = 2 * c.dtheta * sup_psi(c.alpha);
    double mlr = (double)p->image_bits * log_ratio_sup(&c, logz);
    double gap = c.mu - SC_OWF_TYPICAL_SD * sqrt(c.v);
    double lrho = gap > 0 ? -2 * c.mu * gap / c.v : 0;
    double lpi = log_flip(lrho, p->seed_bits) + mlr;
    double lseed = fmin(log(0.5), lrho) + log_expm1(mlr);
    bd->blur_v = ds;
    bd->orth_v = ds * exp(fmin(0, lpi));
    bd->seed = 2 * c.mu / c.v * exp(fmin(0, lseed));
}

/* The first grid index from which the blurred form holds for good, or
 * -1 when it does not hold at the end of the grid. */
static int blur_start(const bounds *grid)
{
    int k = SWITCH_GRID;
    if (!(grid[k].blur_v <= SC_OWF_SCORE_TOL))
        return -1;
    while (k > 0 && grid[k - 1].blur_v <= SC_OWF_SCORE_TOL)
        k--;
    return k;
}

/* Refines the switch between a failing grid time lo and a good hi. */
static double refine(const sc_params *p, const double logz[2], double lo,
                     double hi)
{
    bounds bd;
    for (int i = 0; i < BISECT_STEPS; i++) {
        double mid = 0.5 * (lo + hi);
        bounds_at(p, logz, mid, &bd);
        if (bd.blur_v <= SC_OWF_SCORE_TOL)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

/* The orthant form up to ts (grid index k) and the seed score
 * everywhere. */
static bool others_hold(const sc_params *p, const double logz[2],
                        const bounds *grid, int k, double ts)
{
    bounds bd;
    bounds_at(p, logz, ts, &bd);
    if (!(bd.orth_v <= SC_OWF_SCORE_TOL && bd.seed <= SC_OWF_SCORE_TOL))
        return false;
    for (int j = 0; j <= SWITCH_GRID; j++) {
        if (!(grid[j].seed <= SC_OWF_SCORE_TOL))
            return false;
        if (j < k && !(grid[j].orth_v <= SC_OWF_SCORE_TOL))
            return false;
    }
    return true;
}

/* The switch time when the regimes overlap, else false. */
static bool judge(const sc_params *p, double *t_switch)
{
    bounds grid[SWITCH_GRID + 1];
    double logz[2];
    sc_owf_logz(p, logz);
    for (int j = 0; j <= SWITCH_GRID; j++)
        bounds_at(p, logz, grid_t(j), &grid[j]);
    int k = blur_start(grid);
    if (k < 0)
        return false;
    double ts = k == 0 ? 0 : refine(p, logz, grid_t(k - 1), grid_t(k));
    if (!others_hold(p, logz, grid, k, ts))
        return false;
    *t_switch = ts;
    return true;
}

/* The value of the double at offset off nearest to bad (which fails)
 * for which the regimes overlap, searching towards good; NAN when good
 * fails too.  Overlap gets easier as radius or tau grows and as delta
 * shrinks, so the answer bounds the allowed range. */
static double edge_good(const sc_params *p, size_t off, double bad,
                        double good)
{
    sc_params q = *p;
    double ts, *f = (double *)((char *)&q + off);
    *f = good;
    if (!judge(&q, &ts))
        return NAN;
    for (int i = 0; i < EDGE_STEPS; i++) {
        *f = sqrt(bad * good);
        if (judge(&q, &ts))
            good = *f;
        else
            bad = *f;
    }
    return good;
}

/* Names the first of radius, tau and delta that alone can fix it. */
static int fail_overlap(const sc_params *p, sc_error *err)
{
    double tau_hi = fmin(SC_OWF_MAX_TAU, SC_OWF_MAX_TAU_RATIO * p->delta);
    const struct {
        const char *name;
        size_t off;
        double now, far;
    } fix[] = {
        {"radius", offsetof(sc_params, radius), p->radius,
         SC_OWF_MAX_RADIUS},
        {"tau", offsetof(sc_params, tau), p->tau, tau_hi},
        {"delta", offsetof(sc_params, delta), p->delta,
         p->tau / SC_OWF_MAX_TAU_RATIO},
    };
    for (size_t i = 0; i < sizeof fix / sizeof fix[0]; i++) {
        double edge = edge_good(p, fix[i].off, fix[i].now, fix[i].far);
        if (isnan(edge))
            continue;
        return sc_fail(err, fix[i].name, "%s must be in [%.4g, %.4g] with "
                       "the other parameters as given, so that the two "
                       "score regimes overlap to 1e-9 (MATH.md 4)",
                       fix[i].name, fmin(edge, fix[i].far),
                       fmax(edge, fix[i].far));
    }
    return sc_fail(err, "s0", "s0 = %g is too large: with radius = %g, "
                   "tau = %g and delta = %g no change of one of them makes "
                   "the two score regimes overlap to 1e-9 (MATH.md 4)",
                   p->s0, p->radius, p->tau, p->delta);
}

int sc_owf_regimes(const sc_params *p, double *t_switch, sc_error *err)
{
    return judge(p, t_switch) ? SC_OK : fail_overlap(p, err);
}
