/*
 * The oracles: POST /v1/instances/{id}/samples, /score, /logpdf.
 *
 * Order matters.  Everything that can refuse a request without changing
 * anything runs first (owner, round rules, decoding, dimension, t_min,
 * a compute slot); the budget is spent in one durable conditional
 * update.  Samples spend first, since the spend gives their place in the
 * stream; score and logpdf compute first and spend only once the answer
 * exists, so a computation the family refuses (owf's exact logpdf past
 * SC_OWF_EXACT_MAX_SEED_BITS) is charged nothing.  A refused request
 * spends nothing, and a spent budget always buys its answer.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../core/sc_owf.h"
#include "../core/sc_rng.h"
#include "../proto/sc_wire.h"
#include "handlers.h"
#include "instances.h"
#include "limits.h"
#include "server.h"


/* Largest t an oracle takes, from JSON or the query string alike
 * (proto/openapi.yaml). */
#define MAX_T 1e6

static const char *const meter_names[SC_METERS] = {"samples", "score",
                                                   "logpdf"};
/* The member of the answer, per meter (API.md). */
static const char *const answer_names[SC_METERS] = {"samples", "scores",
                                                    "logpdf"};

typedef struct oracle_job {
    sc_server *srv;
    const sc_served *served;
    int meter;
    double t, noise;
    uint64_t first; /* samples: first point of the stream */
    size_t n, dim;
    const double *x; /* score, logpdf: the points, n x dim */
    double *x_owned; /* x when it is not a view into the NPY body */
} oracle_job;

static void job_free(void *arg)
{
    oracle_job *j = arg;
    sc_instance_served_release(j->srv, j->served);
    free(j->x_owned);
    free(j);
}

/* What the caller's instance serves, after the round rules; NULL when
 * answered. */
static const sc_served *load(sc_req *r, int meter)
{
    sc_server *srv = sc_req_server(r);
    sc_problem pb = {0};
    const sc_served *s = sc_instance_served_id(srv, sc_req_param(r, "id"),
                                               sc_req_player(r), &pb);
    if (s != NULL && s->row->challenge[0] != '\0' &&
        sc_hooks_table.round_gate != NULL &&
        sc_hooks_table.round_gate(srv, s->row, meter, &pb) != 0) {
        sc_instance_served_release(srv, s);
        s = NULL;
    }
    if (s == NULL)
        sc_reply_problem(r, &pb);
    return s;
}

/* t from the query string: absent (0), or a decimal number in [0, MAX_T].
 * Anything else, NaN and Inf included, is a 422 naming t (query.c has
 * already refused unknown and repeated parameters). */
static int query_t(sc_req *r, double *t, sc_problem *pb)
{
    const char *s = sc_req_query(r, "t");
    *t = 0;
    if (s == NULL)
        return 0;
    /* A decimal number as JSON writes one: strtod alone would also take
     * hex, "inf" and "nan". */
    char *end;
    errno = 0;
    *t = strtod(s, &end);
    if (end == s || *end != '\0' || s[strspn(s, "0123456789+-.eE")] != '\0')
        return sc_problem_field(pb, 422, "t", "the query parameter t must "
                                "be a decimal number in [0, %g]", MAX_T);
    if (!isfinite(*t) || *t < 0 || *t > MAX_T)
        return sc_problem_field(pb, 422, "t", "t must be a number in [0, "
                                "%g]", MAX_T);
    return 0;
}

typedef struct points_req {
    double t;
    json_t *points;
} points_req;

static const sc_wire_field points_fields[] = {
    {"t", SC_WT_DOUBLE, offsetof(points_req, t), 0, 0, MAX_T, SIZE_MAX},
    {"points", SC_WT_ARRAY, offsetof(points_req, points), SC_PF_REQUIRED, 0,
     0, SIZE_MAX},
};

static int decode_npy_points(sc_req *r, oracle_job *j, sc_problem *pb)
{
    size_t len, rows, cols;
    int ndim;
    const uint8_t *body = sc_req_body(r, &len);
    /* The points are read where the body lies, not copied: the body
     * outlives the job. */
    if (query_t(r, &j->t, pb) != 0 ||
        sc_npy_view(body, len, &j->x, &j->x_owned, &rows, &cols, &ndim,
                    pb) != 0)
        return -1;
    if (ndim != 2 || cols != j->dim)
        return sc_problem_field(pb, 422, "points", "points must be an n x "
                                "%zu matrix (the instance's dim)", j->dim);
    if (rows > SC_MAX_REQUEST_DOUBLES / j->dim)
        return sc_problem_field(pb, 422, "points", "at most %zu points of "
                                "this dim per request",
                                (size_t)(SC_MAX_REQUEST_DOUBLES / j->dim));
    j->n = rows;
    return 0;
}

/* The points and t of a score or logpdf request, JSON or NPY. */
static int decode_points(sc_req *r, oracle_job *j, sc_problem *pb)
{
    if (sc_req_is_npy(r))
        return decode_npy_points(r, j, pb);
    points_req in = {0};
    size_t cols;
    double qt;
    if (sc_wire_decode(sc_req_json(r), points_fields, 2, &in, pb) != 0 ||
        query_t(r, &qt, pb) != 0)
        return -1;
    /* One t per request: a query t beside a body t would leave the reader
     * guessing which one counted. */
    const json_t *body_t = json_object_get(sc_req_json(r), "t");
    if (sc_req_query(r, "t") != NULL && body_t != NULL &&
        !json_is_null(body_t))
        return sc_problem_field(pb, 422, "t", "t is given both in the query "
                                "string and in the body; give it once");
    j->t = sc_req_query(r, "t") != NULL ? qt : in.t;
    size_t max_rows = SC_MAX_REQUEST_DOUBLES / j->dim;
    int rc = sc_wire_decode_matrix(in.points, "points", j->dim, max_rows,
                                   &j->x_owned, &j->n, &cols, pb);
    j->x = j->x_owned;
    return rc;
}

typedef struct samples_req {
    uint32_t n;
    double t;
} samples_req;

static const sc_wire_field samples_fields[] = {
    {"n", SC_WT_UINT, offsetof(samples_req, n), SC_PF_REQUIRED, 1,
     SC_MAX_SAMPLES, SIZE_MAX},
    {"t", SC_WT_DOUBLE, offsetof(samples_req, t), 0, 0, MAX_T, SIZE_MAX},
};

static int decode_samples(sc_req *r, oracle_job *j, sc_problem *pb)
{
    samples_req in = {0};
    if (sc_wire_decode(sc_req_json(r), samples_fields, 2, &in, pb) != 0)
        return -1;
    if ((size_t)in.n > SC_MAX_REQUEST_DOUBLES / j->dim)
        return sc_problem_field(pb, 422, "n", "at most %zu samples of this "
                                "dim per request",
                                (size_t)(SC_MAX_REQUEST_DOUBLES / j->dim));
    j->n = in.n;
    j->t = in.t;
    return 0;
}

/* The 429 of a refused spend: what is left of every meter. */
static void refuse_budget(sc_req *r, const char *id, int meter)
{
    sc_server *srv = sc_req_server(r);
    sc_instance_row row;
    sc_problem pb = {0};
    sc_req_count_refusal(r, meter);
    if (sc_instance_load(srv, id, NULL, &row, &pb) != 0) {
        sc_reply_error(r, 500, "internal", "the store failed");
        return;
    }
    json_t *left = json_object();
    for (int i = 0; i < SC_METERS; i++)
        json_object_set_new(left, meter_names[i],
                            row.budget[i] == SC_UNLIMITED
                                ? json_null()
                                : json_integer((json_int_t)(row.budget[i] -
                                                            row.used[i])));
    sc_problem_set(&pb, 429, "budget-exhausted", "this request needs more "
                   "%s points than the instance has left (%llu)",
                   meter_names[meter],
                   (unsigned long long)(row.budget[meter] - row.used[meter]));
    sc_store_instance_row_free(&row);
    sc_reply_problem_ext(r, &pb, json_pack("{s:o}", "remaining", left));
}

/* Spends the meter: durably in the store when it has a limit (or is the
 * sample stream's position), in memory otherwise (usage.c). */
static int spend(sc_server *srv, oracle_job *j)
{
    const sc_instance_row *row = j->served->row;
    if (j->meter != SC_METER_SAMPLES &&
        row->budget[j->meter] == SC_UNLIMITED) {
        sc_instance_count_unlimited(srv, row->id, j->meter, j->n);
        return SC_STORE_OK;
    }
    return sc_store_spend(srv->store, row->id, j->meter, j->n, &j->first);
}

/* The problem of a computation the core refused. */
static void reply_core_error(sc_req *r, int rc)
{
    if (rc == SC_ENOTSUP)
        sc_reply_error(r, 422, "invalid-parameters", "this instance's "
                       "family does not serve this oracle at its "
                       "parameters (owf's exact logpdf needs seed_bits <= "
                       "%u)", SC_OWF_EXACT_MAX_SEED_BITS);
    else if (rc == SC_ENOMEM)
        sc_reply_error(r, 503, "overloaded", "out of memory");
    else
        sc_reply_error(r, 500, "internal", "the oracle failed (%d)", rc);
}

/* Spends the request's points, or answers why not. */
static int pay(sc_req *r, oracle_job *j)
{
    int rc = spend(j->srv, j);
    if (rc == SC_STORE_OK)
        return 0;
    if (rc == SC_STORE_BUDGET)
        refuse_budget(r, j->served->row->id, j->meter);
    else
        sc_reply_error(r, rc == SC_STORE_NOTFOUND ? 404 : 500,
                       rc == SC_STORE_NOTFOUND ? "not-found" : "internal",
                       "the budget could not be spent");
    return -1;
}

/* Where the answer is computed: straight into the data of an NPY
 * answer (sent from that buffer as it is), or an array for the JSON
 * text. */
typedef struct answer {
    bool is_npy;
    uint8_t *npy; /* the NPY answer until sent */
    size_t npy_len;
    double *out; /* into npy, or malloc'ed for JSON */
} answer;

static int answer_alloc(sc_req *r, size_t n, size_t cols, int ndim,
                        answer *a)
{
    a->is_npy = sc_req_wants_npy(r);
    if (a->is_npy)
        return sc_npy_alloc(n, cols, ndim, &a->npy, &a->npy_len, &a->out);
    a->out = malloc(n * cols * sizeof *a->out);
    return a->out != NULL ? 0 : -1;
}

static void answer_send(sc_req *r, const char *field, size_t n, size_t cols,
                        int ndim, answer *a)
{
    if (a->is_npy) {
        sc_reply_take(r, 200, "application/x-npy", a->npy, a->npy_len);
        a->npy = NULL;
    } else {
        sc_reply_array(r, field, a->out, n, cols, ndim);
    }
}

static void answer_free(answer *a)
{
    if (a->is_npy)
        free(a->npy);
    else
        free(a->out);
}

static void compute(sc_req *r, void *arg)
{
    oracle_job *j = arg;
    const sc_dist *d = j->served->dist;
    size_t cols = j->meter == SC_METER_LOGPDF ? 1 : j->dim;
    int ndim = j->meter == SC_METER_LOGPDF ? 1 : 2;
    answer a = {0};
    int rc = answer_alloc(r, j->n, cols, ndim, &a) != 0 ? SC_ENOMEM : SC_OK;
    if (rc == SC_OK && j->meter == SC_METER_SAMPLES)
        rc = sc_dist_sample(d, j->first, j->n, j->t, a.out);
    else if (rc == SC_OK && j->meter == SC_METER_SCORE)
        rc = sc_dist_score(d, j->n, j->x, j->t, a.out);
    else if (rc == SC_OK)
        rc = sc_dist_logpdf(d, j->n, j->x, j->t, a.out);
    if (rc == SC_OK && j->meter == SC_METER_SCORE && j->noise > 0)
        for (size_t i = 0; i < j->n; i++)
            sc_oracle_noise(j->served->noise_key, j->t, j->x + i * j->dim,
                            j->dim, j->noise, a.out + i * j->dim);
    if (rc != SC_OK) {
        reply_core_error(r, rc);
    } else if (j->meter == SC_METER_SAMPLES || pay(r, j) == 0) {
        sc_req_count_points(r, j->meter, j->n);
        answer_send(r, answer_names[j->meter], j->n, cols, ndim, &a);
    }
    answer_free(&a);
}

/* Samples pay first: the spend gives their place in the stream. */
static void pay_then_compute(sc_req *r, void *arg)
{
    if (pay(r, arg) == 0)
        compute(r, arg);
}

/* Whether the family answers this call, and a compute slot sized by its
 * work; refuses (422) calls it cannot answer or that are too much work
 * for one request, before anything is spent.  0, or answered. */
static int reserve(sc_req *r, oracle_job *j)
{
    sc_problem pb = {0};
    sc_error err = {0};
    double work;
    if (sc_dist_cost(j->served->dist, (sc_oracle)j->meter, j->n, &work,
                     &err) != SC_OK)
        sc_problem_set(&pb, 422, "invalid-parameters", "%s", err.message);
    else if (work > SC_MAX_REQUEST_WORK)
        sc_problem_set(&pb, 422, "invalid-parameters", "this request is "
                       "about %.0f s of work, more than one request may "
                       "take: ask for at most %.0f points at a time",
                       work * 1e-9,
                       floor((double)j->n * SC_MAX_REQUEST_WORK / work));
    if (pb.status != 0) {
        sc_reply_problem(r, &pb);
        return -1;
    }
    /* Printing a double as JSON text (~0.3 us) costs more than most
     * oracle work per double: JSON answers count sixteen-fold on top of
     * the work, so one past 4096 numbers (about a millisecond of
     * printing) leaves the HTTP thread too. */
    double text = sc_req_wants_npy(r) ? 0 : 16.0 * (double)(j->n * j->dim);
    return sc_req_reserve(r, (size_t)(work + text));
}

/* Everything before the spend; 0 with j ready, or answered. */
static int prepare(sc_req *r, oracle_job *j)
{
    sc_problem pb = {0};
    const sc_oracle_cfg *oc = &j->served->oracle;
    j->dim = sc_dist_dim(j->served->dist);
    j->noise = oc->noise;
    int rc = j->meter == SC_METER_SAMPLES ? decode_samples(r, j, &pb)
                                          : decode_points(r, j, &pb);
    if (rc == 0 && j->t < oc->t_min)
        rc = sc_problem_field(&pb, 422, "t", "this instance answers only "
                              "for t >= %g", oc->t_min);
    if (rc != 0) {
        sc_reply_problem(r, &pb);
        return -1;
    }
    return reserve(r, j);
}

static void oracle(sc_req *r, int meter)
{
    oracle_job *j = calloc(1, sizeof *j);
    if (j == NULL) {
        sc_reply_error(r, 503, "overloaded", "out of memory");
        return;
    }
    j->srv = sc_req_server(r);
    j->meter = meter;
    j->served = load(r, meter);
    if (j->served == NULL || prepare(r, j) != 0) {
        job_free(j);
        return;
    }
    /* A request past the whole budget of its meter fails without work. */
    uint64_t budget = j->served->row->budget[meter];
    if (meter != SC_METER_SAMPLES && budget != SC_UNLIMITED &&
        j->n > budget) {
        refuse_budget(r, j->served->row->id, meter);
        job_free(j);
        return;
    }
    /* A durable spend waits for a sync: on the spend pool, unless the
     * request already holds a compute slot. */
    if ((meter == SC_METER_SAMPLES || budget != SC_UNLIMITED) &&
        sc_req_reserve_durable(r) != 0) {
        job_free(j);
        return;
    }
    sc_req_run(r, meter == SC_METER_SAMPLES ? pay_then_compute : compute, j,
               job_free);
}

void sc_h_instance_samples(sc_req *r) { oracle(r, SC_METER_SAMPLES); }
void sc_h_instance_score(sc_req *r) { oracle(r, SC_METER_SCORE); }
void sc_h_instance_logpdf(sc_req *r) { oracle(r, SC_METER_LOGPDF); }
