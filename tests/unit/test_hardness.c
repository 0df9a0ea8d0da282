/* Hardness cards: one per preset, made for that preset's parameters and
 * budget, and none information-theoretically out of reach. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/sc_game.h"
#include "core/sc_hardness.h"

static void every_preset_has_a_card_for_its_parameters(void **state)
{
    (void)state;
    assert_int_equal(sc_hardness_ncards, sc_game_npresets);
    for (size_t i = 0; i < sc_game_npresets; i++) {
        const sc_game_preset *p = &sc_game_presets[i];
        const sc_hardness *h = sc_hardness_find(p->name);
        assert_non_null(h);
        /* A stale card (scripts/gen_hardness.py not rerun) fails here. */
        const sc_hardness_params *q = &h->for_params;
        assert_int_equal(q->dim, p->params.dim);
        assert_true(q->gamma == p->params.gamma);
        assert_true(q->sigma == p->params.sigma);
        assert_int_equal(q->components, p->params.components);
        assert_int_equal(q->seed_bits, p->params.seed_bits);
        assert_int_equal(q->image_bits, p->params.image_bits);
        assert_int_equal(q->samples, p->budget[0]);
        assert_non_null(sc_regime_name(h->regime));
    }
    assert_null(sc_hardness_find("nope"));
    assert_null(sc_regime_name(SC_REGIMES));
}

static void no_preset_is_out_of_reach(void **state)
{
    (void)state;
    for (size_t i = 0; i < sc_hardness_ncards; i++) {
        const sc_hardness *h = &sc_hardness_cards[i];
        if (isnan(h->known_secret_power))
            continue; /* gmm-easy: the suite's PCA wins it outright */
        /* Whoever knew the secret would name almost every round... */
        assert_true(h->known_secret_power > 0.99);
        /* ...and an unbounded search over directions would need fewer
         * samples than the budget gives. */
        assert_true(h->unbounded_search_samples <=
                    (double)h->for_params.samples);
        if (!isnan(h->tv_along_secret))
            assert_true(h->tv_along_secret > 0.1 &&
                        h->tv_along_secret <= 1);
    }
}

static void hard_rungs_are_at_the_lattice_hard_scale(void **state)
{
    (void)state;
    const sc_hardness *h = sc_hardness_find("pancakes-hard");
    assert_non_null(h);
    assert_int_equal(h->regime, SC_REGIME_GAP);
    assert_true(h->for_params.gamma >= 2 * sqrt(h->for_params.dim));
    assert_int_equal(sc_hardness_find("pancakes-easy")->regime,
                     SC_REGIME_BRUTE_FORCE);
}

/* The measured figures agree with the regime each card states: below the
 * gap the best attack wins nearly every round; in it, none beats chance
 * by a margin the rounds played could not explain. */
static void measured_figures_match_the_regimes(void **state)
{
    (void)state;
    assert_true(strlen(sc_hardness_measured_on) == 10);
    for (size_t i = 0; i < sc_hardness_ncards; i++) {
        const sc_hardness *h = &sc_hardness_cards[i];
        const sc_attack_figure *b = &h->best_attack;
        assert_non_null(b->name);
        if (h->regime != SC_REGIME_GAP) {
            assert_true(b->win_rate >= 0.9);
        } else if (!b->extrapolated) {
            assert_true(b->win_rate <= 0.75);
            assert_true(b->p_value > 0.01);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_preset_has_a_card_for_its_parameters),
        cmocka_unit_test(no_preset_is_out_of_reach),
        cmocka_unit_test(hard_rungs_are_at_the_lattice_hard_scale),
        cmocka_unit_test(measured_figures_match_the_regimes),
    };
    return cmocka_run_group_tests_name("hardness", tests, NULL, NULL);
}
