/* The game kinds' rows (server/kinds.h): complete rows, ranking keys,
 * and pooled standings that equal the statistics of all rounds taken
 * together; reserved player names (server/names.h). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/kinds.h"
#include "server/names.h"

static void every_kind_has_a_complete_row(void **state)
{
    (void)state;
    for (unsigned k = 0; k < SC_GAME_KINDS; k++) {
        const sc_kind *row = sc_kind_of((sc_game_kind)k);
        assert_non_null(row);
        assert_int_equal(row->kind, k);
        assert_non_null(row->member);
        assert_non_null(row->decode);
        assert_non_null(row->score);
        assert_non_null(row->settle);
        assert_non_null(row->outcome_json);
        assert_non_null(row->result_json);
        assert_non_null(row->rank);
        assert_non_null(row->pool);
        assert_non_null(row->pooled);
        assert_ptr_equal(sc_kind_find(sc_game_kind_name((sc_game_kind)k)),
                         row);
    }
    assert_null(sc_kind_of(SC_GAME_KINDS));
    assert_null(sc_kind_find("guess"));
    assert_string_equal(sc_kind_names(), "distinguish, recover, score, "
                                         "density or posterior");
}

static void rank_of(sc_game_kind k, unsigned correct, unsigned rounds,
                    double rank[2])
{
    sc_round_outcome o[64] = {0};
    sc_game_result g;
    for (unsigned i = 0; i < rounds; i++)
        o[i] = (sc_round_outcome){.answered = true, .value = i < correct};
    sc_game_summarize(k, o, rounds, 0, 8, &g);
    sc_kind_of(k)->rank(&g, rank);
}

static bool before(const double a[2], const double b[2])
{
    return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]);
}

/* Issue 8: 20 of 40 solved ranked above 10 of 10 by total bits. */
static void posterior_ranks_by_success_rate_then_rounds(void **state)
{
    double ten_of_ten[2], twenty_of_forty[2], twenty_of_twenty[2];
    (void)state;
    rank_of(SC_GAME_POSTERIOR, 10, 10, ten_of_ten);
    rank_of(SC_GAME_POSTERIOR, 20, 40, twenty_of_forty);
    rank_of(SC_GAME_POSTERIOR, 20, 20, twenty_of_twenty);
    assert_true(before(ten_of_ten, twenty_of_forty));
    assert_true(before(twenty_of_twenty, ten_of_ten));
}

/* Outcomes of two attempts of kind k (5 and 7 rounds, eval 4). */
static void outcomes(sc_game_kind k, sc_round_outcome o[12])
{
    for (unsigned i = 0; i < 12; i++) {
        double v = (double)((i * 7) % 5) / 4.0;
        o[i] = (sc_round_outcome){.answered = i % 4 != 3, .points = 4};
        if (k == SC_GAME_SCORE) {
            o[i].value = 3.0 * v + 0.5;
            o[i].gauss = 2.0 + (double)i;
        } else if (k == SC_GAME_DENSITY) {
            o[i].value = (double)((i * 3) % 5);
        } else if (k == SC_GAME_RECOVER) {
            o[i].value = v;
        } else {
            o[i].value = v >= 0.5;
        }
    }
}

/* Only owf templates have seeds (finish passes the template's). */
static unsigned seed_bits(sc_game_kind k)
{
    return k == SC_GAME_POSTERIOR ? 8 : 0;
}

/* The result JSON of rounds o[0..n) as finish writes it. */
static json_t *result_of(const sc_kind *row, const sc_round_outcome *o,
                         size_t n)
{
    sc_game_result g;
    sc_game_summarize(row->kind, o, n, 0.1, seed_bits(row->kind), &g);
    json_t *j = json_pack("{s:I}", "answered", (json_int_t)g.answered);
    row->result_json(&g, j);
    return j;
}

static void near(double a, double b)
{
    assert_true(fabs(a - b) <= 1e-12 * (1 + fabs(b)));
}

/* The standing rule: two attempts pooled are the rounds summarized
 * together. */
static void pooling_equals_summarizing_all_rounds(void **state)
{
    (void)state;
    for (unsigned k = 0; k < SC_GAME_KINDS; k++) {
        const sc_kind *row = sc_kind_of((sc_game_kind)k);
        sc_round_outcome o[12];
        sc_game_result all;
        sc_pool p = {0};
        outcomes(row->kind, o);
        json_t *a = result_of(row, o, 5), *b = result_of(row, o + 5, 7);
        sc_kind_pool_add(row, &p, a, 5, 4);
        sc_kind_pool_add(row, &p, b, 7, 4);
        sc_kind_pooled(row, &p);
        sc_game_summarize(row->kind, o, 12, 0.1, seed_bits(row->kind),
                          &all);
        assert_int_equal(p.g.rounds, 12);
        assert_int_equal(p.g.answered, all.answered);
        assert_int_equal(p.g.correct, all.correct);
        assert_int_equal(p.g.bits_inverted, all.bits_inverted);
        near(p.g.accuracy, all.accuracy);
        near(p.g.p_value, all.p_value);
        near(p.g.advantage, all.advantage);
        near(p.g.mean_cos, all.mean_cos);
        near(p.g.min_cos, all.min_cos);
        near(p.g.error, all.error);
        near(p.g.error_gauss, all.error_gauss);
        near(p.g.error_ratio, all.error_ratio);
        near(p.g.pac_fraction, all.pac_fraction);
        json_decref(a);
        json_decref(b);
    }
}

static void role_and_server_names_are_reserved(void **state)
{
    static const char *const taken[] = {"admin", "Admin", "ad-min",
                                        "ADMIN ", "instructor", "root",
                                        "Scoracle", "System"};
    static const char *const free_[] = {"adminx", "alice", "the admin",
                                        "", "ädmin-ish"};
    (void)state;
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++) {
        sc_problem pb = {0};
        assert_int_equal(sc_name_check_reserved(taken[i], &pb), -1);
        assert_int_equal(pb.status, 422);
    }
    for (size_t i = 0; i < sizeof free_ / sizeof free_[0]; i++) {
        sc_problem pb = {0};
        assert_int_equal(sc_name_check_reserved(free_[i], &pb), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_has_a_complete_row),
        cmocka_unit_test(posterior_ranks_by_success_rate_then_rounds),
        cmocka_unit_test(pooling_equals_summarizing_all_rounds),
        cmocka_unit_test(role_and_server_names_are_reserved),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
