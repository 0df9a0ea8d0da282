/* The cache of what instances serve (server/cache.c): bounded by count,
 * least recently used out first, and an entry evicted while in use stays
 * valid until its last release (ASan and valgrind watch the frees). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server/cache.h"
#include "server/instances.h"
#include "server/keys.h"
#include "server/server.h"
#include "tmpdir.h"

typedef struct fixture {
    char dir[SC_TEST_PATH];
    sc_config cfg;
    sc_server srv;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[256], sdir[SC_TEST_PATH + 16];
    sc_test_tmpdir(f->dir);
    snprintf(sdir, sizeof sdir, "%s/state", f->dir);
    if (sc_keys_load(sdir, &f->srv.keys, err, sizeof err) != 0)
        fail_msg("sc_keys_load: %s", err);
    f->srv.cfg = &f->cfg;
    f->srv.cache = sc_cache_new(2);
    assert_non_null(f->srv.cache);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sc_cache_free(f->srv.cache);
    sc_keys_free(f->srv.keys);
    sc_test_rmtree(f->dir);
    free(f);
    return 0;
}

/* A gaussian row, as the store would give it. */
static void row_of(sc_instance_row *row, int64_t seq, unsigned dim)
{
    memset(row, 0, sizeof *row);
    row->seq = seq;
    snprintf(row->id, sizeof row->id, "in_%024lld", (long long)seq);
    snprintf(row->owner, sizeof row->owner, "pl_owner");
    snprintf(row->family, sizeof row->family, "gaussian");
    row->params = malloc(32);
    snprintf(row->params, 32, "{\"dim\": %u}", dim);
    row->oracle = strdup("{\"t_min\": 0.25, \"noise\": 0.5}");
    row->round = -1;
}

static const sc_served *get(fixture *f, int64_t seq, unsigned dim)
{
    sc_instance_row row;
    sc_problem pb = {0};
    row_of(&row, seq, dim);
    const sc_served *s = sc_instance_served(&f->srv, &row, &pb);
    sc_store_instance_row_free(&row);
    assert_non_null(s);
    return s;
}

static void same_instance_same_entry(void **state)
{
    fixture *f = *state;
    const sc_served *a = get(f, 1, 3), *b = get(f, 1, 3);
    assert_ptr_equal(a, b);
    assert_int_equal(sc_dist_dim(a->dist), 3);
    assert_true(a->oracle.t_min == 0.25 && a->oracle.noise == 0.5);
    assert_string_equal(a->row->id, "in_000000000000000000000001");
    sc_instance_served_release(&f->srv, a);
    sc_instance_served_release(&f->srv, b);
}

static void evicted_in_use_stays_valid(void **state)
{
    fixture *f = *state;
    const sc_served *a = get(f, 1, 4);
    sc_instance_served_release(&f->srv, get(f, 2, 4));
    sc_instance_served_release(&f->srv, get(f, 3, 4)); /* evicts 1 */
    /* Still usable: a sample from the evicted entry. */
    double x[4];
    assert_int_equal(sc_dist_sample(a->dist, 0, 1, 0.0, x), SC_OK);
    const sc_served *again = get(f, 1, 4);
    assert_ptr_not_equal(again, a);
    double y[4];
    assert_int_equal(sc_dist_sample(again->dist, 0, 1, 0.0, y), SC_OK);
    assert_memory_equal(x, y, sizeof x); /* same key, same stream */
    sc_instance_served_release(&f->srv, a); /* frees the evicted one */
    sc_instance_served_release(&f->srv, again);
}

static void recently_used_is_kept(void **state)
{
    fixture *f = *state;
    const sc_served *one = get(f, 1, 2);
    sc_instance_served_release(&f->srv, one);
    sc_instance_served_release(&f->srv, get(f, 2, 2));
    sc_instance_served_release(&f->srv, get(f, 1, 2)); /* 1 is recent */
    sc_instance_served_release(&f->srv, get(f, 3, 2)); /* evicts 2 */
    const sc_served *again = get(f, 1, 2);
    assert_ptr_equal(again, one);
    sc_instance_served_release(&f->srv, again);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(same_instance_same_entry, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(evicted_in_use_stays_valid, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(recently_used_is_kept, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
