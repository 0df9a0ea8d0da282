/* The owf family's 1-D pieces: the theta function behind the V combs
 * and the two seed vertices.  See sc_owf_impl.h for the algebra. */
#include <math.h>

#include "sc_owf_impl.h"

/* Terms below TERM_CUT of the largest one are dropped. */
#define TERM_CUT 1e-18

/* Sum of exp(-alpha k (k - 2 r) s) k^j over k >= 1, j = 0 and 1, for
 * s = +1 (k > 0) or -1 (k < 0, as |k|): the ratio of neighbours is
 * first * g^k with g = exp(-2 alpha), so three exps serve the whole
 * sum. */
static void direct_side(double first, double g, double *s, double *ks)
{
    double e = first, gk = g;
    *s = *ks = 0;
    for (int k = 1; e > TERM_CUT; k++) {
        *s += e;
        *ks += (double)k * e;
        e *= first * gk;
        gk *= g;
    }
}

/* Direct sum around the dominant k = 0 (r in [-1/2, 1/2]); every term
 * is scaled by exp(alpha r^2), so nothing underflows however sharp the
 * comb. */
static void theta_direct(double alpha, double r, double *logth,
                         double *psi)
{
    double g = exp(-2 * alpha), sp, kp, sm, km;
    direct_side(exp(-alpha * (1 - 2 * r)), g, &sp, &kp);
    direct_side(exp(-alpha * (1 + 2 * r)), g, &sm, &km);
    double s = 1 + sp + sm;
    *logth = -alpha * r * r + log(s);
    *psi = 2 * alpha * ((kp - km) / s - r);
}

/* Poisson dual: theta(x) = sqrt(pi / alpha) sum_l exp(-pi^2 l^2 / alpha)
 * cos(2 pi l x); for alpha < pi the l = 1 term is below 0.05 and the
 * terms fall as Q^{l^2}: a handful.  cos and sin of 2 pi l r by
 * rotation.  Shifting x by 1/2 flips the sign of the odd l, so one pass
 * answers both cosets: [0] at r, [1] at r - 1/2. */
static void theta_dual(double alpha, double r, double logth[2],
                       double psi[2])
{
    double big_q = exp(-M_PI * M_PI / alpha), q = big_q, step = big_q;
    double c1 = cos(2 * M_PI * r), s1 = sin(2 * M_PI * r);
    double cl = c1, sl = s1, c[2] = {0, 0}, s[2] = {0, 0};
    for (int l = 1; q > TERM_CUT; l++) {
        c[l & 1] += q * cl;
        s[l & 1] += (double)l * q * sl;
        double cn = cl * c1 - sl * s1;
        sl = sl * c1 + cl * s1;
        cl = cn;
        step *= big_q * big_q; /* Q^{2l+1} */
        q *= step;
    }
    for (int b = 0; b < 2; b++) {
        double cs = c[0] + (b ? -c[1] : c[1]);
        double ss = s[0] + (b ? -s[1] : s[1]);
        logth[b] = 0.5 * log(M_PI / alpha) + log1p(2 * cs);
        psi[b] = -4 * M_PI * ss / (1 + 2 * cs);
    }
}

void sc_owf_theta(double alpha, double x, double *logth, double *psi)
{
    double r = x - nearbyint(x), lt[2], ps[2];
    if (alpha >= M_PI) {
        theta_direct(alpha, r, logth, psi);
        return;
    }
    theta_dual(alpha, r, lt, ps);
    *logth = lt[0];
    *psi = ps[0];
}

/* theta and psi at x (index 0) and at x - 1/2 (index 1). */
static void theta_pair(double alpha, double x, double logth[2],
                       double psi[2])
{
    double r = x - nearbyint(x);
    if (alpha < M_PI) {
        theta_dual(alpha, r, logth, psi);
        return;
    }
    theta_direct(alpha, r, &logth[0], &psi[0]);
    r = (x - 0.5) - nearbyint(x - 0.5);
    theta_direct(alpha, r, &logth[1], &psi[1]);
}

/* Z_b = sum_k exp(-delta^2 (k + b/2)^2 / (2 tau^2)) = theta_a0(b / 2). */
void sc_owf_logz(const sc_params *p, double logz[2])
{
    double a0 = p->delta * p->delta / (2 * p->tau * p->tau), psi;
    sc_owf_theta(a0, 0.0, &logz[0], &psi);
    sc_owf_theta(a0, 0.5, &logz[1], &psi);
}

/* Written so that nothing underflows to a division by zero at large t:
 * delta_t / tau_t = delta / tau whatever t is. */
void sc_owf_time_init(sc_owf_time *c, const sc_params *p,
                      const double logz[2], double t)
{
    double e1 = exp(-t), e2 = exp(-2 * t);
    double tau_t2 = e2 * p->tau * p->tau;
    double v = e2 * p->s0 * p->s0 - expm1(-2 * t);
    c->mu = e1 * p->radius;
    c->v = v;
    c->env = 1 / (tau_t2 + v);
    c->dtheta = e1 * p->tau * p->tau * c->env / p->delta;
    c->alpha = p->delta * p->delta / (2 * p->tau * p->tau) *
               (1 + tau_t2 / v);
    for (int b = 0; b < 2; b++)
        c->lognorm[b] = -logz[b] - 0.5 * log(2 * M_PI * v);
}

void sc_owf_comb_one(const sc_owf_time *c, double v, unsigned b,
                     double *lq, double *sq)
{
    double logth, psi;
    sc_owf_theta(c->alpha, c->dtheta * v - 0.5 * b, &logth, &psi);
    *lq = c->lognorm[b] - 0.5 * c->env * v * v + logth;
    *sq = -c->env * v + c->dtheta * psi;
}

void sc_owf_comb(const sc_owf_time *c, double v, double lq[2],
                 double sq[2])
{
    double logth[2], psi[2];
    theta_pair(c->alpha, c->dtheta * v, logth, psi);
    for (int b = 0; b < 2; b++) {
        lq[b] = c->lognorm[b] - 0.5 * c->env * v * v + logth[b];
        sq[b] = -c->env * v + c->dtheta * psi[b];
    }
}

double sc_owf_comb_blur(const sc_owf_time *c, double v)
{
    double logth[2], psi[2];
    theta_pair(c->alpha, c->dtheta * v, logth, psi);
    /* log q_0 - log q_1 without the envelope term -env v^2 / 2 the two
     * share: it cancels exactly, and v^2 overflows for |v| > 1e154. */
    double lr = (c->lognorm[0] + logth[0]) - (c->lognorm[1] + logth[1]);
    double s0 = -c->env * v + c->dtheta * psi[0];
    double s1 = -c->env * v + c->dtheta * psi[1];
    return s0 + (s1 - s0) / (1 + exp(lr));
}

void sc_owf_vertex(const sc_owf_time *c, double u, double lu[2])
{
    double norm = -0.5 * log(2 * M_PI * c->v);
    lu[0] = norm - (u + c->mu) * (u + c->mu) / (2 * c->v);
    lu[1] = norm - (u - c->mu) * (u - c->mu) / (2 * c->v);
}

double sc_owf_vertex_score(const sc_owf_time *c, double u)
{
    return (c->mu * tanh(c->mu * u / c->v) - u) / c->v;
}
