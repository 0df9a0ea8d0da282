/*
 * Hardness cards: where each preset of sc_game.h sits on the ladder and
 * how that was found (docs/MATH.md section 6).  The cards are data:
 * scripts/gen_hardness.py computes the statistical quantities by
 * quadrature over the law along the secret, for the parameters and
 * sample budget the preset serves, and copies the measured attack
 * figures from tests/attacks/measured.json, into sc_hardness_table.c.
 *
 * NaN marks a quantity the preset's family does not have (gmm-easy's
 * secret means are random, so its law along them is not one law; owf has
 * no direction to search).  No I/O; nothing here allocates.
 */
#ifndef SC_HARDNESS_H
#define SC_HARDNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum sc_regime {
    SC_REGIME_BRUTE_FORCE = 0, /* exhaustive search wins in seconds */
    SC_REGIME_LATTICE,         /* lattice reduction wins, moments do not */
    SC_REGIME_GAP,             /* no known fast attack; the secret would */
    SC_REGIMES
} sc_regime;

/* "brute-force", "lattice", "gap"; NULL out of range. */
const char *sc_regime_name(sc_regime r);

/* The best attack of the suite on a preset's distinguish (or posterior)
 * rounds; name NULL when none was measured.  rounds 0 with extrapolated
 * set: the time is extrapolated from a measured rate, not played. */
typedef struct sc_attack_figure {
    const char *name;
    double win_rate;
    unsigned rounds;
    double seconds_per_round;
    double p_value; /* of the wins against guessing; NaN if extrapolated */
    bool extrapolated;
} sc_attack_figure;

/* The preset parameters a card was computed for. */
typedef struct sc_hardness_params {
    uint32_t dim;
    double gamma, sigma;
    uint32_t components, seed_bits, image_bits;
    uint64_t samples;
} sc_hardness_params;

typedef struct sc_hardness {
    const char *preset;
    sc_regime regime;
    sc_hardness_params for_params;
    double tv_along_secret;          /* TV(p1, N(0, 1)) */
    double known_secret_power;       /* >= 1 - BC^n / 2 */
    double known_secret_log10_error; /* log10 (BC^n / 2) */
    double unbounded_search_samples; /* net search, docs/MATH.md 6 */
    double search_space_log2;        /* directions or seeds searched */
    sc_attack_figure best_attack;
} sc_hardness;

extern const sc_hardness sc_hardness_cards[];
extern const size_t sc_hardness_ncards;
extern const char sc_hardness_measured_on[]; /* ISO date of the figures */
extern const char sc_hardness_machine[];     /* where they were measured */

/* The card of a preset, or NULL. */
const sc_hardness *sc_hardness_find(const char *preset);

#endif
