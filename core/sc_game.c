/* The challenge games, pure part.  See sc_game.h. */
#include "sc_game.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sc_rng.h"
#include "sc_stats.h"

const double sc_game_eval_times[SC_GAME_EVAL_TIMES] = {0.0, 0.1, 0.5, 1.0};

static void summarize_counts(const sc_round_outcome *o, size_t rounds,
                             sc_game_result *out);
static void summarize_recover(const sc_round_outcome *o, size_t rounds,
                              sc_game_result *out);
static void summarize_score(const sc_round_outcome *o, size_t rounds,
                            sc_game_result *out);
static void summarize_density(const sc_round_outcome *o, size_t rounds,
                              sc_game_result *out);

/* A kind's pure part: its name, the families it plays on
 * (NULL-terminated), whether its rounds carry eval points, and its
 * statistics over the rounds.  The server's part of a kind is its row
 * in server/kinds.c. */
typedef struct kind_row {
    const char *name;
    const char *families[3];
    bool eval;
    void (*summarize)(const sc_round_outcome *o, size_t rounds,
                      sc_game_result *out);
} kind_row;

static const kind_row kinds[SC_GAME_KINDS] = {
    [SC_GAME_DISTINGUISH] = {"distinguish", {"pancakes", "gmm", NULL},
                             false, summarize_counts},
    [SC_GAME_RECOVER] = {"recover", {"pancakes", NULL, NULL}, false,
                         summarize_recover},
    [SC_GAME_SCORE] = {"score", {"pancakes", "gmm", NULL}, true,
                       summarize_score},
    [SC_GAME_DENSITY] = {"density", {"pancakes", "gmm", NULL}, true,
                         summarize_density},
    [SC_GAME_POSTERIOR] = {"posterior", {"owf", NULL, NULL}, false,
                           summarize_counts},
};

const char *sc_game_kind_name(sc_game_kind k)
{
    return (unsigned)k < SC_GAME_KINDS ? kinds[k].name : NULL;
}

int sc_game_kind_parse(const char *name, sc_game_kind *out)
{
    for (unsigned k = 0; k < SC_GAME_KINDS; k++) {
        if (strcmp(kinds[k].name, name) == 0) {
            *out = (sc_game_kind)k;
            return SC_OK;
        }
    }
    return SC_EINVAL;
}

bool sc_game_kind_allows(sc_game_kind k, const char *family)
{
    if ((unsigned)k >= SC_GAME_KINDS)
        return false;
    for (const char *const *f = kinds[k].families; *f != NULL; f++)
        if (strcmp(*f, family) == 0)
            return true;
    return false;
}

bool sc_game_kind_has_eval(sc_game_kind k)
{
    return (unsigned)k < SC_GAME_KINDS && kinds[k].eval;
}

uint64_t sc_game_stream_id(uint32_t round, uint32_t sub)
{
    return ((uint64_t)round << 8) | (sub & 0xffu);
}

bool sc_game_coin(const uint8_t challenge_key[SC_KEY_BYTES], uint32_t round)
{
    sc_stream s;
    sc_stream_init(&s, challenge_key, SC_STREAM_GAME,
                   sc_game_stream_id(round, SC_GAME_SUB_COIN));
    bool coin = (sc_stream_u64(&s) >> 63) != 0;
    sc_stream_wipe(&s);
    return coin;
}

int sc_game_eval_points(const sc_dist *d, size_t n, double *t, double *x)
{
    size_t dim = sc_dist_dim(d);
    for (size_t j = 0; j < n; j++) {
        t[j] = sc_game_eval_times[j % SC_GAME_EVAL_TIMES];
        int rc = sc_dist_sample(d, j, 1, t[j], x + j * dim);
        if (rc != SC_OK)
            return rc;
    }
    return SC_OK;
}

/* grad log P_{t_j}(x_j) for every eval point, each at its own time. */
static int true_scores(const sc_dist *d, size_t n, const double *t,
                       const double *x, double *out)
{
    size_t dim = sc_dist_dim(d);
    for (size_t j = 0; j < n; j++) {
        int rc = sc_dist_score(d, 1, x + j * dim, t[j], out + j * dim);
        if (rc != SC_OK)
            return rc;
    }
    return SC_OK;
}

/* Shared by answered and unanswered score rounds: est NULL means the
 * Gaussian guess was the answer. */
static int score_outcome(const sc_dist *d, size_t n, const double *t,
                         const double *x, const double *est,
                         sc_round_outcome *out)
{
    size_t dim = sc_dist_dim(d);
    double *truth = malloc(n * dim * sizeof *truth + 1);
    if (truth == NULL)
        return SC_ENOMEM;
    int rc = true_scores(d, n, t, x, truth);
    if (rc == SC_OK) {
        double gauss = sc_score_mse_gauss(x, truth, n, dim) * (double)n;
        out->answered = est != NULL;
        out->gauss = gauss;
        out->value = est != NULL ? sc_score_mse(est, truth, n, dim) *
                                       (double)n
                                 : gauss;
        out->points = n;
    }
    free(truth);
    return rc;
}

int sc_game_score_round(const sc_dist *d, size_t n, const double *t,
                        const double *x, const double *est,
                        sc_round_outcome *out)
{
    return score_outcome(d, n, t, x, est, out);
}

int sc_game_score_unanswered(const sc_dist *d, size_t n, const double *t,
                             const double *x, sc_round_outcome *out)
{
    return score_outcome(d, n, t, x, NULL, out);
}

int sc_game_density_round(const sc_dist *d, size_t n, const double *t,
                          const double *x, const double *est, double eps,
                          sc_round_outcome *out)
{
    size_t dim = sc_dist_dim(d);
    double *truth = malloc(n * sizeof *truth + 1);
    if (truth == NULL)
        return SC_ENOMEM;
    int rc = SC_OK;
    for (size_t j = 0; j < n && rc == SC_OK; j++)
        rc = sc_dist_logpdf(d, 1, x + j * dim, t[j], truth + j);
    if (rc == SC_OK) {
        out->answered = true;
        out->value = sc_pac_fraction(est, truth, n, eps) * (double)n;
        out->gauss = 0;
        out->points = n;
    }
    free(truth);
    return rc;
}

/* The baseline's sums at eval point j (x_j at t_j): squared score error
 * and whether the Gaussian log-density is within eps. */
static int baseline_point(const sc_dist *d, const double *x, double t,
                          double eps, double *grad, double *sq,
                          bool *within)
{
    size_t dim = sc_dist_dim(d);
    double lp, norm2 = 0;
    int rc = sc_dist_score(d, 1, x, t, grad);
    if (rc == SC_OK)
        rc = sc_dist_logpdf(d, 1, x, t, &lp);
    if (rc != SC_OK)
        return rc;
    *sq = 0;
    for (size_t k = 0; k < dim; k++) {
        double e = -x[k] - grad[k];
        *sq += e * e;
        norm2 += x[k] * x[k];
    }
    double gauss = -0.5 * norm2 - 0.5 * (double)dim * log(2.0 * M_PI);
    *within = fabs(gauss - lp) <= eps;
    return SC_OK;
}

int sc_game_gauss_baseline(const sc_dist *d, size_t n, double eps,
                           double *score_err, double *density_within)
{
    size_t dim = sc_dist_dim(d), inside = 0;
    double *t = malloc(n * sizeof *t + 1);
    double *x = malloc(n * dim * sizeof *x + 1);
    double *grad = malloc(dim * sizeof *grad + 1), sum = 0;
    int rc = t != NULL && x != NULL && grad != NULL
                 ? sc_game_eval_points(d, n, t, x)
                 : SC_ENOMEM;
    for (size_t j = 0; j < n && rc == SC_OK; j++) {
        double sq;
        bool within;
        rc = baseline_point(d, x + j * dim, t[j], eps, grad, &sq, &within);
        sum += sq;
        inside += within;
    }
    if (rc == SC_OK) {
        *score_err = n > 0 ? sum / ((double)n * (double)dim) : 0.0;
        *density_within = n > 0 ? (double)inside / (double)n : 1.0;
    }
    free(t);
    free(x);
    free(grad);
    return rc;
}

int sc_game_recover_round(const sc_dist *d, const double *dir,
                          sc_round_outcome *out)
{
    sc_secret_view v[4];
    size_t nv = sc_dist_secret(d, v, 4);
    for (size_t i = 0; i < nv; i++) {
        if (strcmp(v[i].name, "u") != 0)
            continue;
        out->answered = true;
        out->value = sc_abs_cos(dir, v[i].data, v[i].cols);
        out->gauss = 0;
        out->points = 0;
        return SC_OK;
    }
    return SC_EINVAL;
}

static void summarize_counts(const sc_round_outcome *o, size_t rounds,
                             sc_game_result *out)
{
    for (size_t i = 0; i < rounds; i++)
        if (o[i].answered && o[i].value >= 0.5)
            out->correct++;
    unsigned n = (unsigned)rounds;
    out->accuracy = n > 0 ? (double)out->correct / n : 0.0;
    out->advantage = sc_advantage(out->correct, n);
    out->p_value = sc_binom_pvalue(out->correct, n);
}

static void summarize_recover(const sc_round_outcome *o, size_t rounds,
                              sc_game_result *out)
{
    double sum = 0, lo = rounds > 0 ? 1.0 : 0.0;
    for (size_t i = 0; i < rounds; i++) {
        double c = o[i].answered ? o[i].value : 0.0;
        sum += c;
        lo = c < lo ? c : lo;
    }
    out->mean_cos = rounds > 0 ? sum / (double)rounds : 0.0;
    out->min_cos = lo;
}

static void summarize_score(const sc_round_outcome *o, size_t rounds,
                            sc_game_result *out)
{
    double err = 0, gauss = 0;
    size_t points = 0;
    for (size_t i = 0; i < rounds; i++) {
        err += o[i].value;
        gauss += o[i].gauss;
        points += o[i].points;
    }
    out->error = points > 0 ? err / (double)points : 0.0;
    out->error_gauss = points > 0 ? gauss / (double)points : 0.0;
    out->error_ratio = gauss > 0 ? err / gauss : (err > 0 ? INFINITY : 1.0);
}

static void summarize_density(const sc_round_outcome *o, size_t rounds,
                              sc_game_result *out)
{
    double within = 0;
    size_t points = 0;
    for (size_t i = 0; i < rounds; i++) {
        within += o[i].answered ? o[i].value : 0.0;
        points += o[i].points;
    }
    out->pac_fraction = points > 0 ? within / (double)points : 0.0;
}

void sc_game_summarize(sc_game_kind kind, const sc_round_outcome *o,
                       size_t rounds, double tolerance, unsigned seed_bits,
                       sc_game_result *out)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    out->rounds = (unsigned)rounds;
    out->tolerance = tolerance;
    for (size_t i = 0; i < rounds; i++)
        out->answered += o[i].answered;
    if ((unsigned)kind >= SC_GAME_KINDS)
        return;
    kinds[kind].summarize(o, rounds, out);
    /* A solved round inverts every bit of its seed (0 bits but for
     * posterior). */
    out->bits_inverted = out->correct * seed_bits;
}
