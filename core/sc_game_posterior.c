/* Posterior rounds of the games on the owf family.  See sc_game.h. */
#include <stdlib.h>

#include "sc_game.h"
#include "sc_owf.h"
#include "sc_twin.h"

int sc_game_posterior_target(const sc_dist *d,
                             const uint8_t challenge_key[SC_KEY_BYTES],
                             uint32_t round, double *x_star, double *y,
                             unsigned *draws)
{
    return sc_owf_measure(sc_twin_served(d), challenge_key,
                          sc_game_stream_id(round, SC_GAME_SUB_MEASURE),
                          x_star, y, draws);
}

int sc_game_posterior_round(const sc_dist *d,
                            const uint8_t challenge_key[SC_KEY_BYTES],
                            uint32_t round, const double *sample,
                            const uint8_t *seed, size_t seed_len,
                            sc_round_outcome *out)
{
    d = sc_twin_served(d);
    size_t dim = sc_dist_dim(d);
    unsigned m = d->params.image_bits;
    double *x = malloc(dim * sizeof *x);
    double *y = malloc((m + 1) * sizeof *y);
    int rc = x != NULL && y != NULL
                 ? sc_game_posterior_target(d, challenge_key, round, x, y,
                                            NULL)
                 : SC_ENOMEM;
    int matched = 0;
    if (rc == SC_OK)
        matched = sample != NULL
                      ? (int)sc_owf_check_sample(d, y, sample)
                      : sc_owf_check_seed(d, y, seed, seed_len);
    if (rc == SC_OK && matched < 0)
        rc = matched;
    if (rc == SC_OK)
        *out = (sc_round_outcome){.answered = true,
                                  .value = (unsigned)matched == m};
    free(x);
    free(y);
    return rc;
}
