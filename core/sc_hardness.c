/* Hardness cards: lookups over the generated sc_hardness_table.c. */
#include "sc_hardness.h"

#include <string.h>

static const char *const regime_names[SC_REGIMES] = {
    [SC_REGIME_BRUTE_FORCE] = "brute-force",
    [SC_REGIME_LATTICE] = "lattice",
    [SC_REGIME_GAP] = "gap",
};

const char *sc_regime_name(sc_regime r)
{
    return (unsigned)r < SC_REGIMES ? regime_names[r] : NULL;
}

const sc_hardness *sc_hardness_find(const char *preset)
{
    for (size_t i = 0; i < sc_hardness_ncards; i++)
        if (strcmp(sc_hardness_cards[i].preset, preset) == 0)
            return &sc_hardness_cards[i];
    return NULL;
}
