/* The pure part of the games: coins, eval points, scoring, presets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/sc_core.h"
#include "core/sc_game.h"
#include "core/sc_rng.h"

static const uint8_t KEY[SC_KEY_BYTES] = {7, 1, 2, 3};

static sc_dist *gaussian(uint32_t dim)
{
    sc_params p = {.dim = dim};
    sc_dist *d = NULL;
    assert_int_equal(sc_dist_new(&sc_family_gaussian, &p, KEY, &d, NULL),
                     SC_OK);
    return d;
}

static void kind_names_round_trip(void **state)
{
    (void)state;
    for (unsigned k = 0; k < SC_GAME_KINDS; k++) {
        sc_game_kind got;
        assert_int_equal(sc_game_kind_parse(sc_game_kind_name(k), &got),
                         SC_OK);
        assert_int_equal(got, k);
    }
    sc_game_kind got;
    assert_int_equal(sc_game_kind_parse("guess", &got), SC_EINVAL);
    assert_null(sc_game_kind_name(SC_GAME_KINDS));
}

static void kinds_play_on_their_families(void **state)
{
    (void)state;
    assert_true(sc_game_kind_allows(SC_GAME_DISTINGUISH, "pancakes"));
    assert_true(sc_game_kind_allows(SC_GAME_DISTINGUISH, "gmm"));
    assert_false(sc_game_kind_allows(SC_GAME_DISTINGUISH, "gaussian"));
    assert_false(sc_game_kind_allows(SC_GAME_DISTINGUISH, "owf"));
    assert_true(sc_game_kind_allows(SC_GAME_RECOVER, "pancakes"));
    assert_false(sc_game_kind_allows(SC_GAME_RECOVER, "gmm"));
    assert_true(sc_game_kind_allows(SC_GAME_POSTERIOR, "owf"));
    assert_false(sc_game_kind_allows(SC_GAME_POSTERIOR, "pancakes"));
    assert_true(sc_game_kind_has_eval(SC_GAME_SCORE));
    assert_true(sc_game_kind_has_eval(SC_GAME_DENSITY));
    assert_false(sc_game_kind_has_eval(SC_GAME_DISTINGUISH));
}

/* The coin as sc_game.h specifies it, straight from libsodium: the top
 * bit of the first little-endian word of ChaCha20-IETF under the nonce
 * purpose (LE32) || id (LE64). */
static bool coin_by_spec(const uint8_t key[32], uint32_t round)
{
    uint8_t nonce[12] = {0}, block[8] = {0};
    uint64_t id = ((uint64_t)round << 8) | SC_GAME_SUB_COIN;
    nonce[0] = SC_STREAM_GAME;
    for (int i = 0; i < 8; i++)
        nonce[4 + i] = (uint8_t)(id >> (8 * i));
    crypto_stream_chacha20_ietf_xor_ic(block, block, 8, nonce, 0, key);
    return (block[7] >> 7) != 0;
}

static void coin_follows_its_spec_and_is_fair(void **state)
{
    (void)state;
    unsigned heads = 0, n = 4000;
    for (uint32_t i = 0; i < n; i++) {
        bool c = sc_game_coin(KEY, i);
        assert_int_equal(c, coin_by_spec(KEY, i));
        heads += c;
    }
    /* Bin(4000, 1/2) has sd 31.6: six of them is a sound bound. */
    assert_in_range(heads, 2000 - 190, 2000 + 190);
    uint8_t other[SC_KEY_BYTES] = {8};
    unsigned same = 0;
    for (uint32_t i = 0; i < n; i++)
        same += sc_game_coin(KEY, i) == sc_game_coin(other, i);
    assert_in_range(same, 2000 - 190, 2000 + 190);
}

static void eval_points_are_the_first_samples_at_their_times(void **state)
{
    (void)state;
    sc_dist *d = gaussian(3);
    double t[9], x[27], want[3];
    assert_int_equal(sc_game_eval_points(d, 9, t, x), SC_OK);
    for (size_t j = 0; j < 9; j++) {
        assert_true(t[j] == sc_game_eval_times[j % SC_GAME_EVAL_TIMES]);
        assert_int_equal(sc_dist_sample(d, j, 1, t[j], want), SC_OK);
        assert_memory_equal(x + 3 * j, want, sizeof want);
    }
    sc_dist_free(d);
}

static void score_round_errors(void **state)
{
    (void)state;
    sc_dist *d = gaussian(2);
    double t[8], x[16], est[16], sq = 0;
    sc_round_outcome o;
    assert_int_equal(sc_game_eval_points(d, 8, t, x), SC_OK);
    for (size_t i = 0; i < 16; i++) {
        est[i] = -x[i]; /* the true score of N(0, I) */
        sq += x[i] * x[i];
    }
    assert_int_equal(sc_game_score_round(d, 8, t, x, est, &o), SC_OK);
    assert_true(o.answered);
    assert_true(o.value == 0.0 && o.gauss == 0.0);
    assert_int_equal(o.points, 8);
    memset(est, 0, sizeof est);
    assert_int_equal(sc_game_score_round(d, 8, t, x, est, &o), SC_OK);
    assert_true(fabs(o.value - sq) <= 1e-12 * sq);
    assert_int_equal(sc_game_score_unanswered(d, 8, t, x, &o), SC_OK);
    assert_false(o.answered);
    assert_true(o.value == o.gauss);
    sc_dist_free(d);
}

static void density_round_counts_points_within_tolerance(void **state)
{
    (void)state;
    sc_dist *d = gaussian(2);
    double t[4], x[8], est[4];
    sc_round_outcome o;
    assert_int_equal(sc_game_eval_points(d, 4, t, x), SC_OK);
    for (size_t j = 0; j < 4; j++) {
        assert_int_equal(sc_dist_logpdf(d, 1, x + 2 * j, t[j], est + j),
                         SC_OK);
        est[j] += j < 3 ? 0.05 : 0.5;
    }
    assert_int_equal(sc_game_density_round(d, 4, t, x, est, 0.1, &o),
                     SC_OK);
    assert_true(o.value == 3.0);
    assert_int_equal(o.points, 4);
    sc_dist_free(d);
}

/* A stand-in family with a secret direction u = e_1, for recover. */
static const double E1[3] = {1, 0, 0};

static size_t fake_secret(const sc_dist *d, sc_secret_view *v, size_t cap)
{
    (void)d;
    if (cap < 1)
        return 0;
    v[0] = (sc_secret_view){"u", E1, 1, 3, false};
    return 1;
}

static void recover_round_is_abs_cos_with_u(void **state)
{
    (void)state;
    sc_family fam = sc_family_gaussian;
    fam.secret = fake_secret;
    sc_dist d = {.fam = &fam, .params = {.dim = 3}};
    const double dir[3] = {-2, 2, 0};
    sc_round_outcome o;
    assert_int_equal(sc_game_recover_round(&d, dir, &o), SC_OK);
    assert_true(fabs(o.value - sqrt(0.5)) < 1e-15);
    sc_dist *g = gaussian(3);
    assert_int_equal(sc_game_recover_round(g, dir, &o), SC_EINVAL);
    sc_dist_free(g);
}

static void summary_of_a_distinguish_game(void **state)
{
    (void)state;
    sc_round_outcome o[20] = {0};
    sc_game_result r;
    for (size_t i = 0; i < 20; i++)
        o[i] = (sc_round_outcome){.answered = true, .value = 1};
    sc_game_summarize(SC_GAME_DISTINGUISH, o, 20, 0, 0, &r);
    assert_int_equal(r.correct, 20);
    assert_int_equal(r.answered, 20);
    assert_true(r.accuracy == 1.0 && r.advantage == 1.0);
    assert_true(fabs(r.p_value / ldexp(1, -20) - 1) < 1e-14);
    o[3].value = 0;
    o[5].answered = false; /* unanswered counts as wrong */
    sc_game_summarize(SC_GAME_DISTINGUISH, o, 20, 0, 0, &r);
    assert_int_equal(r.correct, 18);
    assert_int_equal(r.answered, 19);
    assert_true(fabs(r.advantage - 0.8) < 1e-15);
    /* P[X >= 18] = (C(20,18) + C(20,19) + 1) / 2^20 = 211 / 2^20. */
    assert_true(fabs(r.p_value / ldexp(211, -20) - 1) < 1e-13);
}

static void summary_of_other_kinds(void **state)
{
    (void)state;
    sc_round_outcome o[2] = {
        {.answered = true, .value = 2, .gauss = 8, .points = 4},
        {.answered = false, .value = 6, .gauss = 6, .points = 2},
    };
    sc_game_result r;
    sc_game_summarize(SC_GAME_SCORE, o, 2, 0, 0, &r);
    assert_true(fabs(r.error - 8.0 / 6) < 1e-15);
    assert_true(fabs(r.error_gauss - 14.0 / 6) < 1e-15);
    assert_true(fabs(r.error_ratio - 8.0 / 14) < 1e-15);
    sc_round_outcome dens[2] = {
        {.answered = true, .value = 3, .points = 4},
        {.answered = false, .value = 0, .points = 4},
    };
    sc_game_summarize(SC_GAME_DENSITY, dens, 2, 0.1, 0, &r);
    assert_true(r.pac_fraction == 3.0 / 8 && r.tolerance == 0.1);
    sc_round_outcome rec[2] = {
        {.answered = true, .value = 0.9},
        {.answered = true, .value = 0.5},
    };
    sc_game_summarize(SC_GAME_RECOVER, rec, 2, 0, 0, &r);
    assert_true(fabs(r.mean_cos - 0.7) < 1e-15 && r.min_cos == 0.5);
    sc_round_outcome post[3] = {
        {.answered = true, .value = 1},
        {.answered = true, .value = 0},
        {.answered = true, .value = 1},
    };
    sc_game_summarize(SC_GAME_POSTERIOR, post, 3, 0, 8, &r);
    assert_int_equal(r.correct, 2);
    assert_int_equal(r.bits_inverted, 16);
}

static void presets_are_named_once_and_playable(void **state)
{
    (void)state;
    assert_true(sc_game_npresets >= 5);
    for (size_t i = 0; i < sc_game_npresets; i++) {
        const sc_game_preset *p = &sc_game_presets[i];
        assert_ptr_equal(sc_game_preset_find(p->name), p);
        bool playable = false;
        for (unsigned k = 0; k < SC_GAME_KINDS; k++)
            playable |= sc_game_kind_allows(k, p->family);
        assert_true(playable);
        assert_in_range(p->rounds, 1, SC_GAME_MAX_ROUNDS);
        /* An exact score oracle wins every pancakes and gmm game. */
        if (strcmp(p->family, "owf") != 0)
            assert_true(p->budget[1] == 0 && p->budget[2] == 0);
        /* Families of this build must accept their presets as given. */
        const sc_family *fam = sc_family_find(p->family);
        if (fam != NULL) {
            sc_params q;
            assert_int_equal(sc_params_copy(&q, &p->params), SC_OK);
            assert_int_equal(fam->validate(&q, NULL), SC_OK);
            sc_params_clear(&q);
        }
    }
    assert_null(sc_game_preset_find("nope"));
    /* The hard pancakes sit at gamma >= 2 sqrt(d). */
    const sc_game_preset *h = sc_game_preset_find("pancakes-hard");
    assert_non_null(h);
    assert_true(h->params.gamma >= 2 * sqrt(h->params.dim));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kind_names_round_trip),
        cmocka_unit_test(kinds_play_on_their_families),
        cmocka_unit_test(coin_follows_its_spec_and_is_fair),
        cmocka_unit_test(eval_points_are_the_first_samples_at_their_times),
        cmocka_unit_test(score_round_errors),
        cmocka_unit_test(density_round_counts_points_within_tolerance),
        cmocka_unit_test(recover_round_is_abs_cos_with_u),
        cmocka_unit_test(summary_of_a_distinguish_game),
        cmocka_unit_test(summary_of_other_kinds),
        cmocka_unit_test(presets_are_named_once_and_playable),
    };
    return cmocka_run_group_tests_name("game", tests, NULL, NULL);
}
