/* The game kinds' rows and their functions.  See kinds.h. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sc_commit.h"
#include "../core/sc_stats.h"
#include "../proto/sc_wire.h"
#include "kinds.h"
#include "posterior.h"

void sc_answer_clear(sc_answer *a)
{
    free(a->vec);
    free(a->seed);
    memset(a, 0, sizeof *a);
}

/* A JSON number, or null where the statistic is undefined. */
static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* --- decoding ---------------------------------------------------------- */

/* The member name of obj as a string or an array, through the wire
 * decoder's own type errors. */
static int member_string(const json_t *obj, const char *name,
                         const char **out, sc_problem *pb)
{
    const sc_wire_field f = {name, SC_WT_STRING, 0, 0, 0, 0, SIZE_MAX};
    return sc_wire_decode(obj, &f, 1, out, pb);
}

static int member_array(const json_t *obj, const char *name, json_t **out,
                        sc_problem *pb)
{
    const sc_wire_field f = {name, SC_WT_ARRAY, 0, 0, 0, 0, SIZE_MAX};
    return sc_wire_decode(obj, &f, 1, out, pb);
}

static int decode_guess(const json_t *obj, const char *name,
                        const sc_answer_shape *s, sc_answer *a,
                        sc_problem *pb)
{
    const char *g = NULL;
    (void)s;
    if (member_string(obj, name, &g, pb) != 0)
        return -1;
    if (strcmp(g, "planted") != 0 && strcmp(g, "null") != 0)
        return sc_problem_field(pb, 422, "guess",
                                "guess must be \"planted\" or \"null\"");
    a->planted_guess = strcmp(g, "planted") == 0;
    return 0;
}

/* One vector of len values: a direction (dim), a sample (dim) or the
 * logpdf estimates (eval). */
static int decode_vector(const json_t *obj, const char *name, size_t len,
                         sc_answer *a, sc_problem *pb)
{
    json_t *v = NULL;
    size_t got;
    if (member_array(obj, name, &v, pb) != 0)
        return -1;
    a->rows = 1;
    a->cols = len;
    return sc_wire_decode_vector(v, name, len, &a->vec, &got, pb);
}

static int decode_direction(const json_t *obj, const char *name,
                            const sc_answer_shape *s, sc_answer *a,
                            sc_problem *pb)
{
    return decode_vector(obj, name, s->dim, a, pb);
}

static int decode_logpdf(const json_t *obj, const char *name,
                         const sc_answer_shape *s, sc_answer *a,
                         sc_problem *pb)
{
    if (decode_vector(obj, name, s->eval, a, pb) != 0)
        return -1;
    a->rows = s->eval;
    a->cols = 1;
    return 0;
}

static int decode_scores(const json_t *obj, const char *name,
                         const sc_answer_shape *s, sc_answer *a,
                         sc_problem *pb)
{
    json_t *v = NULL;
    if (member_array(obj, name, &v, pb) != 0 ||
        sc_wire_decode_matrix(v, name, s->dim, s->eval, &a->vec, &a->rows,
                              &a->cols, pb) != 0)
        return -1;
    if (a->rows != s->eval)
        return sc_problem_field(pb, 422, name,
                                "one score per eval point: %zu rows",
                                s->eval);
    return 0;
}

/* A sample (dim values) or a packed seed (hex). */
static int decode_preimage(const json_t *obj, const char *name,
                           const sc_answer_shape *s, sc_answer *a,
                           sc_problem *pb)
{
    const char *hex = NULL;
    if (strcmp(name, "seed") != 0)
        return decode_vector(obj, name, s->dim, a, pb);
    if (member_string(obj, name, &hex, pb) != 0)
        return -1;
    a->seed = malloc(s->seed_len + 1);
    if (a->seed == NULL)
        return sc_problem_set(pb, 500, "internal", "out of memory");
    a->seed_len = s->seed_len;
    if (sc_unhex(a->seed, s->seed_len, hex) != SC_OK)
        return sc_problem_field(pb, 422, "seed",
                                "seed must be %zu bytes as %zu hex digits",
                                s->seed_len, 2 * s->seed_len);
    return 0;
}

int sc_kind_decode(const sc_kind *k, const json_t *body,
                   const sc_answer_shape *s, sc_answer *a, sc_problem *pb)
{
    const char *key, *name = NULL;
    const json_t *v;
    size_t n = 0;
    if (body == NULL || !json_is_object(body))
        return sc_problem_set(pb, 400, "malformed-request",
                              "the answer is a JSON object");
    json_object_foreach((json_t *)body, key, v) {
        bool ok = strcmp(key, k->member) == 0 ||
                  (k->alt_member != NULL && strcmp(key, k->alt_member) == 0);
        if (!ok)
            return sc_problem_field(pb, 422, key,
                                    "a %s answer has no member %s",
                                    sc_game_kind_name(k->kind), key);
        name = key;
        n++;
    }
    if (n != 1 && k->alt_member != NULL)
        return sc_problem_field(pb, 422, k->member,
                                "give exactly one of %s and %s", k->member,
                                k->alt_member);
    if (n != 1)
        return sc_problem_field(pb, 422, k->member,
                                "the answer is {\"%s\": ...}", k->member);
    return k->decode(body, name, s, a, pb);
}

int sc_kind_decode_npy(const sc_kind *k, const uint8_t *body, size_t len,
                       const sc_answer_shape *s, sc_answer *a,
                       sc_problem *pb)
{
    size_t rows, cols;
    int ndim;
    if (k->npy_ndim == 0)
        return sc_problem_set(pb, 415, "unsupported-media-type",
                              "only score and density answers may be NPY");
    if (sc_npy_decode(body, len, &a->vec, &rows, &cols, &ndim, pb) != 0)
        return -1;
    size_t want = k->npy_ndim == 2 ? s->dim : 1;
    if (ndim != k->npy_ndim || rows != s->eval ||
        (ndim == 2 && cols != want))
        return sc_problem_field(pb, 422, k->member,
                                "the array must be %zu x %zu", s->eval,
                                want);
    a->rows = rows;
    a->cols = cols;
    return 0;
}

/* --- scoring ----------------------------------------------------------- */

/* The guess itself (1 planted, 0 null): whether it was right depends on
 * the coin, so settle decides that at finish. */
static int score_guess(const sc_kind_round *r, const sc_answer *a,
                       sc_round_outcome *o, sc_problem *pb)
{
    (void)r;
    (void)pb;
    *o = (sc_round_outcome){.answered = true, .value = a->planted_guess};
    return 0;
}

static int settle_guess(const sc_kind_round *r, sc_round_outcome *o,
                        sc_problem *pb)
{
    (void)pb;
    bool planted = sc_game_coin(r->key, r->index);
    o->value = o->answered && (o->value >= 0.5) == planted;
    return 0;
}

static int score_direction(const sc_kind_round *r, const sc_answer *a,
                           sc_round_outcome *o, sc_problem *pb)
{
    if (sc_game_recover_round(r->dist, a->vec, o) != SC_OK)
        return sc_problem_set(pb, 500, "internal", "no direction");
    return 0;
}

/* Stored outcomes are final; no answer scores 0 (wrong, |cos| 0, no
 * point within tolerance). */
static int settle_stored(const sc_kind_round *r, sc_round_outcome *o,
                         sc_problem *pb)
{
    (void)pb;
    if (!o->answered)
        *o = (sc_round_outcome){.points = r->eval};
    return 0;
}

/* The round's eval points, then score or density scoring of est (NULL:
 * the Gaussian guess of an unanswered score round). */
static int score_points(const sc_kind_round *r, const double *est,
                        bool density, sc_round_outcome *o, sc_problem *pb)
{
    size_t n = r->eval, dim = sc_dist_dim(r->dist);
    double *t = malloc(n * sizeof *t + 1);
    double *x = malloc(n * dim * sizeof *x + 1);
    int st = t != NULL && x != NULL ? sc_game_eval_points(r->dist, n, t, x)
                                    : SC_ENOMEM;
    if (st == SC_OK && density)
        st = sc_game_density_round(r->dist, n, t, x, est, r->tolerance, o);
    else if (st == SC_OK && est != NULL)
        st = sc_game_score_round(r->dist, n, t, x, est, o);
    else if (st == SC_OK)
        st = sc_game_score_unanswered(r->dist, n, t, x, o);
    free(t);
    free(x);
    if (st != SC_OK)
        return sc_problem_set(pb, 500, "internal", "scoring failed");
    return 0;
}

static int score_scores(const sc_kind_round *r, const sc_answer *a,
                        sc_round_outcome *o, sc_problem *pb)
{
    return score_points(r, a->vec, false, o, pb);
}

/* An unanswered score round scores as the Gaussian guess. */
static int settle_scores(const sc_kind_round *r, sc_round_outcome *o,
                         sc_problem *pb)
{
    return o->answered ? 0 : score_points(r, NULL, false, o, pb);
}

static int score_logpdf(const sc_kind_round *r, const sc_answer *a,
                        sc_round_outcome *o, sc_problem *pb)
{
    return score_points(r, a->vec, true, o, pb);
}

static int score_preimage(const sc_kind_round *r, const sc_answer *a,
                          sc_round_outcome *o, sc_problem *pb)
{
    return sc_posterior_score(r->dist, r->key, r->index, a->vec, a->seed,
                              a->seed_len, o, pb);
}

/* An owf seed: seed_bits bits, packed. */
static void shape_seed(const sc_params *p, sc_answer_shape *s)
{
    s->seed_bits = p->seed_bits;
    s->seed_len = (p->seed_bits + 7u) / 8u;
}

static int public_target(const sc_kind_round *r, char **public_json,
                         sc_problem *pb)
{
    return sc_posterior_target_json(r->srv, r->row, r->key, r->index,
                                    public_json, pb);
}

static void reveal_target(const sc_kind_round *r, json_t *reveal)
{
    json_object_set_new(reveal, "target",
                        sc_posterior_reveal(r->dist, r->key, r->index));
}

/* --- degenerate templates ---------------------------------------------- */

/* Probe points: a quarter at each eval time. */
#define PROBE_POINTS 256
/* The Gaussian guess's score error, per point and coordinate, below
 * which a score game is void: float noise in an answer would decide it. */
#define SCORE_BASELINE_MIN 1e-6
/* The fraction of points the Gaussian guess gets within tolerance from
 * which a density game is void. */
#define DENSITY_BASELINE_MAX 0.99

static int probe(const sc_dist *d, double tol, double *err, double *within,
                 sc_problem *pb)
{
    if (sc_game_gauss_baseline(d, PROBE_POINTS, tol, err, within) != SC_OK)
        return sc_problem_set(pb, 500, "internal",
                              "the Gaussian baseline failed");
    return 0;
}

static int vet_score(const sc_dist *d, double tol, sc_problem *pb)
{
    double err, within;
    if (probe(d, tol, &err, &within, pb) != 0)
        return -1;
    if (err < SCORE_BASELINE_MIN)
        return sc_problem_field(
            pb, 422, "kind",
            "a score game here ranks nothing: the Gaussian guess s(x) = -x "
            "is already exact at the eval times (mean squared error %.2g "
            "per coordinate); pick a preset whose structure shows "
            "(README, Games)", err);
    return 0;
}

static int vet_density(const sc_dist *d, double tol, sc_problem *pb)
{
    double err, within;
    if (probe(d, tol, &err, &within, pb) != 0)
        return -1;
    if (within >= DENSITY_BASELINE_MAX)
        return sc_problem_field(
            pb, 422, "kind",
            "a density game here ranks nothing: the Gaussian guess "
            "log N(x; 0, I) is within tolerance %g at %.0f%% of the eval "
            "points; pick a preset whose structure shows, or a smaller "
            "tolerance (README, Games)", tol, 100.0 * within);
    return 0;
}

/* --- outcomes, results, ranks ------------------------------------------ */

static json_t *outcome_correct(const sc_round_outcome *o)
{
    return json_pack("{s:b}", "correct", o->value >= 0.5);
}

static json_t *outcome_cos(const sc_round_outcome *o)
{
    return json_pack("{s:o}", "abs_cos", num(o->value));
}

static json_t *outcome_error(const sc_round_outcome *o)
{
    double pts = o->points > 0 ? (double)o->points : 1.0;
    return json_pack("{s:o, s:o}", "error", num(o->value / pts),
                     "error_gauss", num(o->gauss / pts));
}

static json_t *outcome_within(const sc_round_outcome *o)
{
    return json_pack("{s:I, s:I}", "within", (json_int_t)o->value,
                     "points", (json_int_t)o->points);
}

static json_t *outcome_inverted(const sc_round_outcome *o)
{
    return json_pack("{s:b}", "inverted", o->value >= 0.5);
}

static void result_distinguish(const sc_game_result *g, json_t *j)
{
    json_object_set_new(j, "correct", json_integer(g->correct));
    json_object_set_new(j, "accuracy", num(g->accuracy));
    json_object_set_new(j, "advantage", num(g->advantage));
    json_object_set_new(j, "p_value", num(g->p_value));
}

static void result_recover(const sc_game_result *g, json_t *j)
{
    json_object_set_new(j, "mean_abs_cos", num(g->mean_cos));
    json_object_set_new(j, "min_abs_cos", num(g->min_cos));
}

static void result_score(const sc_game_result *g, json_t *j)
{
    json_object_set_new(j, "error", num(g->error));
    json_object_set_new(j, "error_gauss", num(g->error_gauss));
    json_object_set_new(j, "error_ratio", num(g->error_ratio));
}

static void result_density(const sc_game_result *g, json_t *j)
{
    json_object_set_new(j, "pac_fraction", num(g->pac_fraction));
    json_object_set_new(j, "tolerance", num(g->tolerance));
}

static void result_posterior(const sc_game_result *g, json_t *j)
{
    json_object_set_new(j, "solved", json_integer(g->correct));
    json_object_set_new(j, "success_rate", num(g->accuracy));
    json_object_set_new(j, "bits_inverted", json_integer(g->bits_inverted));
}

/* Distinguish by p-value, then advantage. */
static void rank_distinguish(const sc_game_result *g, double rank[2])
{
    rank[0] = g->p_value;
    rank[1] = -g->advantage;
}

static void rank_recover(const sc_game_result *g, double rank[2])
{
    rank[0] = -g->mean_cos;
    rank[1] = -g->min_cos;
}

/* Score by error ratio (an undefined ratio last), then error. */
static void rank_score(const sc_game_result *g, double rank[2])
{
    rank[0] = isfinite(g->error_ratio) ? g->error_ratio : 1e300;
    rank[1] = g->error;
}

static void rank_density(const sc_game_result *g, double rank[2])
{
    rank[0] = -g->pac_fraction;
    rank[1] = 0;
}

/* Posterior by success rate, then rounds: 10 of 10 before 20 of 40, and
 * 20 of 20 before 10 of 10. */
static void rank_posterior(const sc_game_result *g, double rank[2])
{
    rank[0] = -g->accuracy;
    rank[1] = -(double)g->rounds;
}

/* --- pooling attempts ------------------------------------------------- */

static double member(const json_t *j, const char *name)
{
    return json_number_value(json_object_get(j, name));
}

static void pool_counts(sc_pool *p, const json_t *res, unsigned r,
                        double points, const char *correct)
{
    (void)r;
    (void)points;
    p->g.correct += (unsigned)member(res, correct);
}

static void pool_correct(sc_pool *p, const json_t *res, unsigned r,
                         double points)
{
    pool_counts(p, res, r, points, "correct");
}

static void pool_solved(sc_pool *p, const json_t *res, unsigned r,
                        double points)
{
    pool_counts(p, res, r, points, "solved");
    p->g.bits_inverted += (unsigned)member(res, "bits_inverted");
}

static void pooled_counts(sc_pool *p)
{
    unsigned n = p->g.rounds;
    p->g.accuracy = n > 0 ? (double)p->g.correct / n : 0.0;
    p->g.advantage = sc_advantage(p->g.correct, n);
    p->g.p_value = sc_binom_pvalue(p->g.correct, n);
}

static void pool_cos(sc_pool *p, const json_t *res, unsigned r,
                     double points)
{
    double lo = member(res, "min_abs_cos");
    (void)points;
    p->sum_a += member(res, "mean_abs_cos") * r;
    p->g.min_cos = p->g.rounds == r || lo < p->g.min_cos ? lo
                                                         : p->g.min_cos;
}

static void pooled_cos(sc_pool *p)
{
    p->g.mean_cos = p->g.rounds > 0 ? p->sum_a / p->g.rounds : 0.0;
}

static void pool_error(sc_pool *p, const json_t *res, unsigned r,
                       double points)
{
    (void)r;
    p->sum_a += member(res, "error") * points;
    p->sum_b += member(res, "error_gauss") * points;
}

/* As core's summarize_score: error per point, ratio to the Gaussian's. */
static void pooled_error(sc_pool *p)
{
    double err = p->sum_a, gauss = p->sum_b;
    p->g.error = p->points > 0 ? err / p->points : 0.0;
    p->g.error_gauss = p->points > 0 ? gauss / p->points : 0.0;
    p->g.error_ratio = gauss > 0 ? err / gauss : (err > 0 ? INFINITY : 1.0);
}

static void pool_within(sc_pool *p, const json_t *res, unsigned r,
                        double points)
{
    (void)r;
    p->sum_a += member(res, "pac_fraction") * points;
    p->g.tolerance = member(res, "tolerance");
}

static void pooled_within(sc_pool *p)
{
    p->g.pac_fraction = p->points > 0 ? p->sum_a / p->points : 0.0;
}

void sc_kind_pool_add(const sc_kind *k, sc_pool *p, const json_t *result,
                      unsigned rounds, unsigned eval)
{
    double points = (double)rounds * eval;
    p->g.kind = k->kind;
    p->g.rounds += rounds;
    p->g.answered += (unsigned)member(result, "answered");
    p->points += points;
    k->pool(p, result, rounds, points);
}

void sc_kind_pooled(const sc_kind *k, sc_pool *p)
{
    k->pooled(p);
}

/* --- the rows ---------------------------------------------------------- */

static const sc_kind rows[SC_GAME_KINDS] = {
    [SC_GAME_DISTINGUISH] = {
        .kind = SC_GAME_DISTINGUISH, .member = "guess", .coin = true,
        .decode = decode_guess, .score = score_guess,
        .settle = settle_guess, .outcome_json = outcome_correct,
        .result_json = result_distinguish, .rank = rank_distinguish,
        .pool = pool_correct, .pooled = pooled_counts,
    },
    [SC_GAME_RECOVER] = {
        .kind = SC_GAME_RECOVER, .member = "direction",
        .decode = decode_direction, .score = score_direction,
        .settle = settle_stored, .outcome_json = outcome_cos,
        .result_json = result_recover, .rank = rank_recover,
        .pool = pool_cos, .pooled = pooled_cos,
    },
    [SC_GAME_SCORE] = {
        .kind = SC_GAME_SCORE, .member = "scores", .npy_ndim = 2,
        .vet = vet_score, .decode = decode_scores, .score = score_scores,
        .settle = settle_scores, .outcome_json = outcome_error,
        .result_json = result_score, .rank = rank_score,
        .pool = pool_error, .pooled = pooled_error,
    },
    [SC_GAME_DENSITY] = {
        .kind = SC_GAME_DENSITY, .member = "logpdf", .tolerance = true,
        .npy_ndim = 1, .vet = vet_density, .decode = decode_logpdf,
        .score = score_logpdf,
        .settle = settle_stored, .outcome_json = outcome_within,
        .result_json = result_density, .rank = rank_density,
        .pool = pool_within, .pooled = pooled_within,
    },
    [SC_GAME_POSTERIOR] = {
        .kind = SC_GAME_POSTERIOR, .member = "sample", .alt_member = "seed",
        .shape = shape_seed, .decode = decode_preimage,
        .score = score_preimage,
        .settle = settle_stored, .round_public = public_target,
        .round_reveal = reveal_target, .outcome_json = outcome_inverted,
        .result_json = result_posterior, .rank = rank_posterior,
        .pool = pool_solved, .pooled = pooled_counts,
    },
};

const sc_kind *sc_kind_of(sc_game_kind k)
{
    return (unsigned)k < SC_GAME_KINDS ? &rows[k] : NULL;
}

const sc_kind *sc_kind_find(const char *name)
{
    sc_game_kind k;
    return name != NULL && sc_game_kind_parse(name, &k) == SC_OK
               ? sc_kind_of(k)
               : NULL;
}

static char names[128];
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static void list_names(void)
{
    size_t len = 0;
    for (unsigned k = 0; k < SC_GAME_KINDS; k++) {
        const char *sep = k == 0                  ? ""
                          : k + 1 == SC_GAME_KINDS ? " or "
                                                   : ", ";
        int n = snprintf(names + len, sizeof names - len, "%s%s", sep,
                         sc_game_kind_name((sc_game_kind)k));
        if (n < 0 || (size_t)n >= sizeof names - len)
            return;
        len += (size_t)n;
    }
}

const char *sc_kind_names(void)
{
    pthread_once(&names_once, list_names);
    return names;
}
