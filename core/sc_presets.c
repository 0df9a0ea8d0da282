/* Named challenge parameter sets, easy to hard.  See sc_game.h.
 *
 * Pancakes: gamma sigma < 0.07 makes TV(P_u, N(0, I)) > 1/2, so the easy
 * sets are thin and low-dimensional (brute force over directions works);
 * the hard set sits at gamma = 2 sqrt(d) with sigma >= 2 / gamma, the
 * lattice-hard and statistically invisible regime of MATH.md section 1.
 * gmm-hard is the [C25] section 6 hard mixture: pancakes truncated to
 * nine components.  The owf sets differ in the seed bits brute force has
 * to search.
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
     "d = 8, gamma = 2, sigma = 0.01: thin pancakes, visible to brute force",
     {.dim = 8, .gamma = 2.0, .sigma = 0.01}, SAMPLES_ONLY(2000), 20},
    {"pancakes-medium", "pancakes",
     "d = 32, gamma = 4, sigma = 0.05",
     {.dim = 32, .gamma = 4.0, .sigma = 0.05}, SAMPLES_ONLY(5000), 20},
    {"pancakes-hard", "pancakes",
     "d = 64, gamma = 16 = 2 sqrt(d), sigma = 0.25: lattice-hard, "
     "statistically invisible",
     {.dim = 64, .gamma = 16.0, .sigma = 0.25}, SAMPLES_ONLY(10000), 20},
    {"gmm-easy", "gmm",
     "d = 4, 3 components with means ~ N(0, 16 I), unit variance",
     {.dim = 4, .components = 3, .spread = 4.0, .variance = 1.0},
     SAMPLES_ONLY(2000), 20},
    {"gmm-hard", "pancakes",
     "the [C25] hard mixture: d = 32, gamma = 6, sigma = 0.1, truncated "
     "to 9 components",
     {.dim = 32, .gamma = 6.0, .sigma = 0.1, .components = 9},
     SAMPLES_ONLY(5000), 20},
    {"owf-8", "owf", "8 seed bits, 16 image bits: brute force inverts it",
     {.seed_bits = 8, .image_bits = 16}, ORACLES(1000), 10},
    {"owf-16", "owf", "16 seed bits, 32 image bits",
     {.seed_bits = 16, .image_bits = 32}, ORACLES(1000), 10},
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
