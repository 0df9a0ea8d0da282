/* The posterior game's server side: targets, scoring, reveal.  See
 * posterior.h; the mathematics is core/sc_game_posterior.c. */
#include <stdlib.h>
#include <string.h>

#include "../core/sc_commit.h"
#include "../proto/sc_wire.h"
#include "posterior.h"
#include "server.h"

/* X* and y of a round, malloc'ed (dim and image_bits values). */
static int target(const sc_dist *d, const uint8_t key[SC_KEY_BYTES],
                  unsigned round, double **x, double **y, unsigned *draws)
{
    *x = malloc(sc_dist_dim(d) * sizeof **x);
    *y = malloc((d->params.image_bits + 1) * sizeof **y);
    if (*x == NULL || *y == NULL)
        return SC_ENOMEM;
    return sc_game_posterior_target(d, key, round, *x, *y, draws);
}

int sc_posterior_target_json(sc_server *srv, const sc_instance_row *row,
                             const uint8_t key[SC_KEY_BYTES], unsigned round,
                             char **public_json, sc_problem *pb)
{
    const sc_served *s = sc_instance_served(srv, row, pb);
    if (s == NULL)
        return -1;
    double *x = NULL, *y = NULL;
    int rc = target(s->dist, key, round, &x, &y, NULL);
    json_t *j = rc == SC_OK
                    ? json_pack("{s:o}", "y",
                                sc_wire_encode_vector(
                                    y, s->dist->params.image_bits))
                    : NULL;
    *public_json = j != NULL ? sc_wire_dump(j, &(size_t){0}) : NULL;
    json_decref(j);
    free(x);
    free(y);
    sc_instance_served_release(srv, s);
    if (*public_json == NULL)
        return sc_problem_set(pb, 500, "internal",
                              "the round's measurement failed");
    return 0;
}

int sc_posterior_score(const sc_dist *d, const uint8_t key[SC_KEY_BYTES],
                       unsigned round, const double *sample,
                       const uint8_t *seed, size_t seed_len,
                       sc_round_outcome *out, sc_problem *pb)
{
    int rc = sc_game_posterior_round(d, key, round, sample, seed, seed_len,
                                     out);
    if (rc == SC_EINVAL)
        return sc_problem_field(pb, 422, "seed",
                                "the seed has %u bits: bits past them must "
                                "be zero", d->params.seed_bits);
    if (rc != SC_OK)
        return sc_problem_set(pb, 500, "internal", "scoring failed");
    return 0;
}

json_t *sc_posterior_reveal(const sc_dist *d,
                            const uint8_t key[SC_KEY_BYTES], unsigned round)
{
    unsigned n = d->params.seed_bits, draws = 0;
    double *x = NULL, *y = NULL;
    json_t *j = NULL;
    if (target(d, key, round, &x, &y, &draws) == SC_OK) {
        uint8_t seed[SC_MAX_SEED_BITS / 8] = {0};
        char hex[2 * sizeof seed + 1];
        for (unsigned i = 0; i < n; i++)
            if (x[i] > 0)
                seed[i / 8] |= (uint8_t)(1u << (i % 8));
        sc_hex(hex, seed, (n + 7) / 8);
        j = json_pack("{s:s, s:o, s:o, s:I}", "seed", hex, "sample",
                      sc_wire_encode_vector(x, sc_dist_dim(d)), "y",
                      sc_wire_encode_vector(y, d->params.image_bits),
                      "draws", (json_int_t)draws);
    }
    free(x);
    free(y);
    return j;
}
