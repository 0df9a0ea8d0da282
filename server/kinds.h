/*
 * Game kinds as rows: everything the server does differently for
 * distinguish, recover, score, density and posterior lives in one
 * sc_kind row and its functions (kinds.c), the way a family lives in its
 * vtable.  The kind's pure part (name, families, eval points,
 * statistics) is its row in core/sc_game.c.  Adding a kind is one row
 * in each and their functions; the challenge code never switches on
 * the kind.
 *
 * Error convention of challenges.h (0, or -1 with pb filled).
 * Ownership: sc_answer buffers are malloc'ed by decode and released with
 * sc_answer_clear; json_t results are new references; *public_json is
 * malloc'ed (caller frees).
 */
#ifndef SC_KINDS_H
#define SC_KINDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sc_game.h"
#include "../proto/sc_problem.h"
#include "instances.h"

/* A decoded answer: what its kind takes, nothing else. */
typedef struct sc_answer {
    bool planted_guess; /* distinguish */
    double *vec;        /* direction, scores (eval x dim), logpdf, sample */
    size_t rows, cols;
    uint8_t *seed;      /* posterior's packed seed */
    size_t seed_len;
} sc_answer;

void sc_answer_clear(sc_answer *a);

/* The sizes an answer is checked against: the round template's. */
typedef struct sc_answer_shape {
    size_t dim, eval;
    unsigned seed_bits; /* of a kind whose answers may be seeds */
    size_t seed_len;    /* their bytes */
} sc_answer_shape;

/* One round as a kind's functions see it. */
typedef struct sc_kind_round {
    sc_server *srv;
    const uint8_t *key; /* the challenge key (SC_KEY_BYTES) */
    unsigned index;
    const sc_dist *dist; /* what the round instance serves */
    const sc_instance_row *row;
    unsigned eval;
    double tolerance;
} sc_kind_round;

/* A standing: the attempts of one player on one board, pooled as if
 * they were one challenge (their rounds together). */
typedef struct sc_pool {
    sc_game_result g; /* rounds, answered, correct summed; statistics
                       * filled by sc_kind_pooled */
    double points;    /* eval points over every round */
    double sum_a, sum_b; /* the kind's weighted sums */
} sc_pool;

typedef struct sc_kind {
    sc_game_kind kind;
    /* The answer's one member, and another it may give instead. */
    const char *member, *alt_member;
    /* Its rounds are planted or null by the hidden coin; otherwise every
     * round is planted. */
    bool coin;
    /* The challenge takes a tolerance (density). */
    bool tolerance;
    /* NPY answers: 1 or 2 dimensions (eval or eval x dim); 0 for none. */
    int npy_ndim;
    /* Refuses a template whose rounds would rank nothing, judged on a
     * probe instance of it (NULL: every template plays). */
    int (*vet)(const sc_dist *probe, double tolerance, sc_problem *pb);
    /* What the template's parameters add to the answer shape beyond
     * dim and eval (NULL: nothing). */
    void (*shape)(const sc_params *p, sc_answer_shape *s);
    /* Decodes the answer body obj, whose one member is name. */
    int (*decode)(const json_t *obj, const char *name,
                  const sc_answer_shape *s, sc_answer *a, sc_problem *pb);
    /* What an answer scored, as stored until finish.  It must not depend
     * on the coin: a copy of the store taken before finish may not tell
     * planted from null rounds. */
    int (*score)(const sc_kind_round *r, const sc_answer *a,
                 sc_round_outcome *o, sc_problem *pb);
    /* At finish: the final outcome from the stored one (o->answered) or
     * from no answer. */
    int (*settle)(const sc_kind_round *r, sc_round_outcome *o,
                  sc_problem *pb);
    /* Public members of a new round as JSON text (NULL: none). */
    int (*round_public)(const sc_kind_round *r, char **public_json,
                        sc_problem *pb);
    /* Members the round's reveal adds (NULL: none). */
    void (*round_reveal)(const sc_kind_round *r, json_t *reveal);
    /* A round's outcome, and the result's members, in the reveal, the
     * result and the receipt. */
    json_t *(*outcome_json)(const sc_round_outcome *o);
    void (*result_json)(const sc_game_result *g, json_t *j);
    /* Leaderboard order: both keys ascending and finite. */
    void (*rank)(const sc_game_result *g, double rank[2]);
    /* Adds a finished attempt's signed result (rounds r, eval points
     * in all) to a pool, and turns the sums into statistics. */
    void (*pool)(sc_pool *p, const json_t *result, unsigned r,
                 double points);
    void (*pooled)(sc_pool *p);
} sc_kind;

/* The row of kind k, or NULL. */
const sc_kind *sc_kind_of(sc_game_kind k);
/* The row of a kind named name, or NULL. */
const sc_kind *sc_kind_find(const char *name);
/* "distinguish, recover, ... or posterior": the kinds' names for a
 * message. */
const char *sc_kind_names(void);

/* Adds one finished attempt (its result and its receipt's rounds and
 * eval_points) to p, which starts zeroed; sc_kind_pooled then fills
 * p->g as sc_game_summarize would over all the rounds together. */
void sc_kind_pool_add(const sc_kind *k, sc_pool *p, const json_t *result,
                      unsigned rounds, unsigned eval);
void sc_kind_pooled(const sc_kind *k, sc_pool *p);

/* Decodes the JSON answer body for kind k. */
int sc_kind_decode(const sc_kind *k, const json_t *body,
                   const sc_answer_shape *s, sc_answer *a, sc_problem *pb);
/* Decodes an NPY answer body for kind k (415 when k takes none). */
int sc_kind_decode_npy(const sc_kind *k, const uint8_t *body, size_t len,
                       const sc_answer_shape *s, sc_answer *a,
                       sc_problem *pb);

#endif
