/*
 * I/O-error injection for the store (tests/unit/faultvfs.h): for a few
 * representative writes, the k-th file write, truncate or sync fails
 * (and every later one, until the disk "recovers"), for every k the
 * write makes.  Each time the call must answer SC_STORE_IO or succeed;
 * its change must be there exactly when it answered SC_STORE_OK; and
 * once the disk recovers, the store must pass integrity_check, keep
 * serving, and reopen with the same contents.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/sc_rng.h"
#include "faultvfs.h"
#include "server/keys.h"
#include "server/store.h"
#include "tmpdir.h"

typedef struct fixture {
    char dir[SC_TEST_PATH];
    sc_store *st;
    sc_player owner;
    sc_instance_row inst; /* made at setup, budget 1000 samples */
    int step;             /* makes each attempt's names unique */
} fixture;

static sc_store *open_store(const char *dir)
{
    char err[512] = "";
    sc_store *st = NULL;

    if (sc_store_open(dir, &st, err, sizeof err) != SC_STORE_OK)
        fail_msg("sc_store_open: %s", err);
    return st;
}

static void new_instance(fixture *f, sc_instance_row *row)
{
    memset(row, 0, sizeof *row);
    sc_keys_new_id(row->id, "in_");
    snprintf(row->owner, sizeof row->owner, "%s", f->owner.id);
    snprintf(row->family, sizeof row->family, "gaussian");
    row->params = "{\"dim\": 3}";
    row->oracle = "{\"t_min\": 0.0, \"noise\": 0.0}";
    row->budget[SC_METER_SAMPLES] = 1000;
    row->budget[SC_METER_SCORE] = SC_UNLIMITED;
    row->budget[SC_METER_LOGPDF] = SC_UNLIMITED;
    memset(row->commitment, 'c', 64);
    row->round = -1;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    uint8_t h[32];

    assert_non_null(f);
    assert_int_equal(sc_faultvfs_install(), SQLITE_OK);
    sc_faultvfs_disarm();
    sc_test_tmpdir(f->dir);
    f->st = open_store(f->dir);
    sc_random(h, sizeof h);
    assert_int_equal(sc_store_player_create(f->st, "owner", SC_ROLE_PLAYER,
                                            h, &f->owner),
                     SC_STORE_OK);
    new_instance(f, &f->inst);
    assert_int_equal(sc_store_next_seq(f->st, &f->inst.seq), SC_STORE_OK);
    assert_int_equal(sc_store_instance_insert(f->st, &f->inst), SC_STORE_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    sc_faultvfs_disarm();
    sc_store_close(f->st);
    sc_test_rmtree(f->dir);
    free(f);
    return 0;
}

/* One write under test: do makes the change (answers the store's code),
 * done tells whether it is there. */
typedef struct op {
    const char *name;
    int (*run)(fixture *f, void *ctx);
    bool (*present)(fixture *f, void *ctx);
} op;

typedef struct player_ctx {
    char name[32];
    uint8_t hash[32];
} player_ctx;

static int player_run(fixture *f, void *ctx)
{
    player_ctx *c = ctx;
    sc_player p;

    return sc_store_player_create(f->st, c->name, SC_ROLE_PLAYER, c->hash,
                                  &p);
}

static bool player_present(fixture *f, void *ctx)
{
    player_ctx *c = ctx;
    sc_player p;
    int rc = sc_store_player_by_token(f->st, c->hash, &p);

    assert_true(rc == SC_STORE_OK || rc == SC_STORE_NOTFOUND);
    return rc == SC_STORE_OK;
}

static void player_prepare(fixture *f, void *ctx)
{
    player_ctx *c = ctx;

    snprintf(c->name, sizeof c->name, "p%d", f->step);
    sc_random(c->hash, sizeof c->hash);
}

typedef struct inst_ctx {
    sc_instance_row row;
} inst_ctx;

static void inst_prepare(fixture *f, void *ctx)
{
    inst_ctx *c = ctx;

    new_instance(f, &c->row);
    assert_int_equal(sc_store_next_seq(f->st, &c->row.seq), SC_STORE_OK);
}

static int inst_run(fixture *f, void *ctx)
{
    inst_ctx *c = ctx;

    return sc_store_instance_insert(f->st, &c->row);
}

static bool inst_present(fixture *f, void *ctx)
{
    inst_ctx *c = ctx;
    sc_instance_row got;
    int rc = sc_store_instance_get(f->st, c->row.id, &got);

    assert_true(rc == SC_STORE_OK || rc == SC_STORE_NOTFOUND);
    if (rc == SC_STORE_OK)
        sc_store_instance_row_free(&got);
    return rc == SC_STORE_OK;
}

typedef struct spend_ctx {
    uint64_t used_before;
} spend_ctx;

static uint64_t used_samples(fixture *f)
{
    sc_instance_row r;
    uint64_t u;

    assert_int_equal(sc_store_instance_get(f->st, f->inst.id, &r),
                     SC_STORE_OK);
    u = r.used[SC_METER_SAMPLES];
    sc_store_instance_row_free(&r);
    return u;
}

static void spend_prepare(fixture *f, void *ctx)
{
    spend_ctx *c = ctx;

    c->used_before = used_samples(f);
}

static int spend_run(fixture *f, void *ctx)
{
    uint64_t before;

    (void)ctx;
    return sc_store_spend(f->st, f->inst.id, SC_METER_SAMPLES, 3, &before);
}

static bool spend_present(fixture *f, void *ctx)
{
    spend_ctx *c = ctx;
    uint64_t used = used_samples(f);

    assert_true(used == c->used_before || used == c->used_before + 3);
    return used == c->used_before + 3;
}

static void reveal_prepare(fixture *f, void *ctx)
{
    inst_ctx *c = ctx;

    inst_prepare(f, ctx);
    assert_int_equal(sc_store_instance_insert(f->st, &c->row), SC_STORE_OK);
}

static int reveal_run(fixture *f, void *ctx)
{
    inst_ctx *c = ctx;

    return sc_store_instance_reveal(f->st, c->row.id);
}

static bool reveal_present(fixture *f, void *ctx)
{
    inst_ctx *c = ctx;
    sc_instance_row got;
    bool revealed;

    assert_int_equal(sc_store_instance_get(f->st, c->row.id, &got),
                     SC_STORE_OK);
    revealed = got.revealed;
    sc_store_instance_row_free(&got);
    return revealed;
}

static void integrity_ok(const fixture *f)
{
    char path[SC_TEST_PATH + 16];
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;

    snprintf(path, sizeof path, "%s/scoracle.db", f->dir);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
                                        &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* The op under a failing disk, for every k, with prepare run on a
 * healthy disk before each attempt. */
static void inject_each(fixture *f, const op *o,
                        void (*prepare)(fixture *, void *), void *ctx)
{
    long total;
    int rc;

    prepare(f, ctx);
    sc_faultvfs_arm(0);
    assert_int_equal(o->run(f, ctx), SC_STORE_OK);
    total = sc_faultvfs_writes();
    assert_true(total > 0);
    for (long k = 1; k <= total; k++) {
        f->step++;
        prepare(f, ctx);
        sc_faultvfs_arm(k);
        rc = o->run(f, ctx);
        sc_faultvfs_disarm();
        if (rc != SC_STORE_OK && rc != SC_STORE_IO)
            fail_msg("%s, write %ld of %ld failing: answered %d", o->name,
                     k, total, rc);
        if (o->present(f, ctx) != (rc == SC_STORE_OK))
            fail_msg("%s, write %ld of %ld failing: answered %d but the "
                     "change is %s", o->name, k, total, rc,
                     rc == SC_STORE_OK ? "missing" : "there");
        integrity_ok(f);
    }
    /* Recovered: the store serves and reopens with the same contents. */
    f->step++;
    prepare(f, ctx);
    assert_int_equal(o->run(f, ctx), SC_STORE_OK);
    sc_store_close(f->st);
    f->st = open_store(f->dir);
    assert_true(o->present(f, ctx));
    integrity_ok(f);
}

static void player_create_faults(void **state)
{
    static const op o = {"player_create", player_run, player_present};
    player_ctx c;

    inject_each(*state, &o, player_prepare, &c);
}

static void instance_insert_faults(void **state)
{
    static const op o = {"instance_insert", inst_run, inst_present};
    inst_ctx c;

    inject_each(*state, &o, inst_prepare, &c);
}

static void spend_faults(void **state)
{
    static const op o = {"spend", spend_run, spend_present};
    spend_ctx c;

    inject_each(*state, &o, spend_prepare, &c);
}

static void reveal_faults(void **state)
{
    static const op o = {"reveal", reveal_run, reveal_present};
    inst_ctx c;

    inject_each(*state, &o, reveal_prepare, &c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(player_create_faults, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(instance_insert_faults, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(spend_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(reveal_faults, setup, teardown),
    };
    return cmocka_run_group_tests_name("store_faults", tests, NULL, NULL);
}
