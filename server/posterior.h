/*
 * The posterior game's server side: each round's hidden target (a sample
 * X* of the round's owf instance and its measurement y, drawn from the
 * challenge key's stream by sc_owf_measure), the scoring of an answer,
 * and the target's reveal.  Everything is re-derived from the keys, so
 * nothing secret is stored.
 *
 * Error convention of challenges.h (0, or -1 with pb filled).
 * Ownership: *public_json is malloc'ed (caller frees); json_t results
 * are new references.
 */
#ifndef SC_POSTERIOR_H
#define SC_POSTERIOR_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/sc_game.h"
#include "instances.h"

/* {"y": [...]}: the round's public members, as JSON text. */
int sc_posterior_target_json(sc_server *srv, const sc_instance_row *row,
                             const uint8_t key[SC_KEY_BYTES], unsigned round,
                             char **public_json, sc_problem *pb);

/* Scores {"sample": [...]} (dim values) or a packed seed: value 1 when
 * it inverts f on b_hat(y).  A seed of the wrong length is a 422. */
int sc_posterior_score(const sc_dist *d, const uint8_t key[SC_KEY_BYTES],
                       unsigned round, const double *sample,
                       const uint8_t *seed, size_t seed_len,
                       sc_round_outcome *out, sc_problem *pb);

/* {"seed": hex, "sample": [...], "y": [...], "draws": k}: the target;
 * NULL when it cannot be drawn. */
json_t *sc_posterior_reveal(const sc_dist *d,
                            const uint8_t key[SC_KEY_BYTES], unsigned round);

#endif
