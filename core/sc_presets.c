/* Named challenge parameter sets: a ladder from a rung that falls in
 * seconds to rungs in the statistical-to-computational gap.  See
 * sc_game.h, and sc_hardness.h for each rung's card (docs/MATH.md
 * section 6 derives its numbers, README "Which preset first" tells a
 * newcomer where to start).
 *
 * Pancakes: along u a comb of spacing a = sqrt(2 pi) / (gamma
 * sqrt(1 + sigma^2)) and tooth width sigma.  With a / sigma large a few
 * d samples pin u down by lattice reduction (the CLWE attack); with
 * gamma >= 2 sqrt(d) and sigma >= 1/poly(d) that is as hard as
 * worst-case lattice problems [BRST21].  Every rung keeps sigma small
 * enough that the law along u is far from N(0, 1) (TV 0.37 to 0.95), so
 * a player who knew u would win every round: the presets are hard, not
 * impossible.  gmm-hard is the [C25] section 6 hard mixture: pancakes
 * truncated to 29 components, enough that its moments match N(0, 1) to
 * 2e-6, so neither PCA nor any moment method sees it.  The owf sets
 * have image bits 2n, so the preimage is unique, and differ in the seed
 * bits brute force has to search.
 *
 * The pancakes and gmm sets give samples only: with an exact score (or
 * log-density) oracle every game on them is won outright, by the
 * certificate of Gaussianity for distinguish and by asking the oracle at
 * the eval points for score and density, so their boards would rank
 * nothing.  The owf sets keep their oracles: [G24]'s point is that
 * posterior sampling stays hard with scores in hand. */
#include <string.h>

#include "sc_game.h"

#define SAMPLES_ONLY(n) {(n), 0, 0}
#define ORACLES(n) {(n), (n), (n)}

const sc_game_preset sc_game_presets[] = {
    {"pancakes-easy", "pancakes",
     "d = 8, gamma = 2, sigma = 0.01: thin pancakes in few dimensions, "
     "found in seconds by a search over directions or by LLL",
     {.dim = 8, .gamma = 2.0, .sigma = 0.01}, SAMPLES_ONLY(2000), 20},
    {"pancakes-lattice", "pancakes",
     "d = 16, gamma = 3, sigma = 0.01: too many directions to search, "
     "but LLL on 3d samples finds u",
     {.dim = 16, .gamma = 3.0, .sigma = 0.01}, SAMPLES_ONLY(2000), 20},
    {"pancakes-frontier", "pancakes",
     "d = 32, gamma = 4, sigma = 0.01: the lattice frontier, where "
     "plain LLL falters and BKZ still finds u",
     {.dim = 32, .gamma = 4.0, .sigma = 0.01}, SAMPLES_ONLY(5000), 20},
    {"pancakes-gap", "pancakes",
     "d = 32, gamma = 4, sigma = 0.05: in the gap, visible to whoever "
     "knows u, and no known fast attack finds it",
     {.dim = 32, .gamma = 4.0, .sigma = 0.05}, SAMPLES_ONLY(5000), 20},
    {"pancakes-hard", "pancakes",
     "d = 64, gamma = 16 = 2 sqrt(d), sigma = 0.02: in the gap at the "
     "lattice-hard scale of [BRST21]",
     {.dim = 64, .gamma = 16.0, .sigma = 0.02}, SAMPLES_ONLY(10000), 20},
    {"gmm-easy", "gmm",
     "d = 4, 3 components with means ~ N(0, 16 I), unit variance",
     {.dim = 4, .components = 3, .spread = 4.0, .variance = 1.0},
     SAMPLES_ONLY(2000), 20},
    {"gmm-hard", "pancakes",
     "the [C25] hard mixture: d = 32, gamma = 6, sigma = 0.07, 29 "
     "components, moments matching N(0, 1) so PCA sees nothing",
     {.dim = 32, .gamma = 6.0, .sigma = 0.07, .components = 29},
     SAMPLES_ONLY(5000), 20},
    {"owf-8", "owf", "8 seed bits, 16 image bits: brute force inverts it",
     {.seed_bits = 8, .image_bits = 16}, ORACLES(1000), 10},
    {"owf-24", "owf",
     "24 seed bits, 48 image bits: brute force takes seconds to minutes "
     "a round",
     {.seed_bits = 24, .image_bits = 48}, ORACLES(1000), 10},
    {"owf-32", "owf",
     "32 seed bits, 64 image bits: brute force takes hours a round",
     {.seed_bits = 32, .image_bits = 64}, ORACLES(1000), 10},
};

const size_t sc_game_npresets =
    sizeof sc_game_presets / sizeof sc_game_presets[0];

const sc_game_preset *sc_game_preset_find(const char *name)
{
    for (size_t i = 0; i < sc_game_npresets; i++)
        if (strcmp(sc_game_presets[i].name, name) == 0)
            return &sc_game_presets[i];
    return NULL;
}
