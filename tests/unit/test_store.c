/* The store's conformance suite, run against SQLite and PostgreSQL
 * (backends.h): schema, players, instances, budgets under concurrency
 * and after kill -9. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/sc_rng.h"
#include "server/keys.h"
#include "server/store.h"
#include "server/store_pg.h"
#include "server/store_sqlite.h"
#include "backends.h"
#include "tmpdir.h"

typedef struct fixture {
    char dir[SC_TEST_PATH];
    char where[SC_TEST_PATH]; /* what sc_store_open takes */
    sc_store *st;
    sc_player owner;
} fixture;

static sc_store *open_store(const char *dir)
{
    char err[256] = "";
    sc_store *st = NULL;

    if (sc_store_open(dir, &st, err, sizeof err) != SC_STORE_OK)
        fail_msg("sc_store_open: %s", err);
    return st;
}

static void random_hash(uint8_t h[32])
{
    sc_random(h, 32);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    uint8_t h[32];

    assert_non_null(f);
    sc_test_tmpdir(f->dir);
    sc_test_where(f->dir, f->where);
    f->st = open_store(f->where);
    random_hash(h);
    assert_int_equal(sc_store_player_create(f->st, "owner", SC_ROLE_PLAYER,
                                            h, &f->owner),
                     SC_STORE_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    sc_store_close(f->st);
    sc_test_rmtree(f->dir);
    free(f);
    return 0;
}

/* A new instance of f's owner with these budgets. */
static void make_instance(fixture *f, uint64_t samples, uint64_t score,
                          uint64_t logpdf, sc_instance_row *row)
{
    memset(row, 0, sizeof *row);
    assert_int_equal(sc_store_next_seq(f->st, &row->seq), SC_STORE_OK);
    sc_keys_new_id(row->id, "in_");
    snprintf(row->owner, sizeof row->owner, "%s", f->owner.id);
    snprintf(row->family, sizeof row->family, "gaussian");
    row->params = "{\"dim\": 3}";
    row->oracle = "{\"t_min\": 0.0, \"noise\": 0.0}";
    row->budget[SC_METER_SAMPLES] = samples;
    row->budget[SC_METER_SCORE] = score;
    row->budget[SC_METER_LOGPDF] = logpdf;
    memset(row->commitment, 'a', 64);
    row->round = -1;
    assert_int_equal(sc_store_instance_insert(f->st, row), SC_STORE_OK);
}

static uint64_t used_of(fixture *f, const char *id, int meter)
{
    sc_instance_row r;
    uint64_t u;

    assert_int_equal(sc_store_instance_get(f->st, id, &r), SC_STORE_OK);
    u = r.used[meter];
    sc_store_instance_row_free(&r);
    return u;
}

static void reopen_keeps_data_and_version(void **state)
{
    fixture *f = *state;
    sc_instance_row row, got;
    sc_player p;
    uint8_t h[32];
    uint64_t before;
    int64_t seq;
    int version = sc_store_schema_version(f->st);

    assert_true(version >= 1);
    random_hash(h);
    assert_int_equal(sc_store_player_create(f->st, "bob", SC_ROLE_PLAYER, h,
                                            &p),
                     SC_STORE_OK);
    make_instance(f, 100, SC_UNLIMITED, SC_UNLIMITED, &row);
    assert_int_equal(sc_store_spend(f->st, row.id, SC_METER_SAMPLES, 42,
                                    &before),
                     SC_STORE_OK);
    sc_store_close(f->st);

    f->st = open_store(f->where);
    assert_int_equal(sc_store_schema_version(f->st), version);
    assert_int_equal(sc_store_player_by_token(f->st, h, &p), SC_STORE_OK);
    assert_string_equal(p.name, "bob");
    assert_int_equal(sc_store_instance_get(f->st, row.id, &got), SC_STORE_OK);
    assert_int_equal(got.used[SC_METER_SAMPLES], 42);
    sc_store_instance_row_free(&got);
    assert_int_equal(sc_store_next_seq(f->st, &seq), SC_STORE_OK);
    assert_true(seq > row.seq);
}

static void newer_schema_is_refused(void **state)
{
    fixture *f = *state;
    char err[256] = "";
    sc_store *st = NULL;

    sc_store_close(f->st);
    assert_int_equal(sc_test_sql(f->where,
                                 "UPDATE schema_version SET version = 999"),
                     0);
    assert_int_equal(sc_store_open(f->where, &st, err, sizeof err),
                     SC_STORE_IO);
    assert_null(st);
    assert_non_null(strstr(err, "999"));
    f->st = NULL;
}

static void players_by_token_and_id(void **state)
{
    fixture *f = *state;
    sc_player a, b, got;
    uint8_t ha[32], hb[32], hx[32];

    random_hash(ha);
    random_hash(hb);
    random_hash(hx);
    assert_int_equal(sc_store_player_create(f->st, "alice",
                                            SC_ROLE_INSTRUCTOR, ha, &a),
                     SC_STORE_OK);
    assert_int_equal(strncmp(a.id, "pl_", 3), 0);
    assert_int_equal(strlen(a.id), 27);
    assert_int_equal(strlen(a.created_at), 20);
    assert_int_equal(sc_store_player_by_token(f->st, ha, &got), SC_STORE_OK);
    assert_string_equal(got.id, a.id);
    assert_string_equal(got.name, "alice");
    assert_int_equal(got.role, SC_ROLE_INSTRUCTOR);
    assert_string_equal(got.created_at, a.created_at);
    assert_int_equal(sc_store_player_get(f->st, a.id, &got), SC_STORE_OK);
    assert_string_equal(got.name, "alice");
    assert_int_equal(sc_store_player_by_token(f->st, hx, &got),
                     SC_STORE_NOTFOUND);
    assert_int_equal(sc_store_player_get(f->st, "pl_nobody", &got),
                     SC_STORE_NOTFOUND);
    /* Names are unique per role. */
    assert_int_equal(sc_store_player_create(f->st, "alice",
                                            SC_ROLE_INSTRUCTOR, hb, &b),
                     SC_STORE_CONFLICT);
    assert_int_equal(sc_store_player_create(f->st, "alice", SC_ROLE_PLAYER,
                                            hb, &b),
                     SC_STORE_OK);
    assert_string_not_equal(b.id, a.id);
}

static void upsert_moves_the_token(void **state)
{
    fixture *f = *state;
    sc_player first, again, got;
    uint8_t h1[32], h2[32];

    random_hash(h1);
    random_hash(h2);
    assert_int_equal(sc_store_player_upsert(f->st, "admin", SC_ROLE_ADMIN, h1,
                                            &first),
                     SC_STORE_OK);
    assert_int_equal(sc_store_player_upsert(f->st, "admin", SC_ROLE_ADMIN, h2,
                                            &again),
                     SC_STORE_OK);
    assert_string_equal(again.id, first.id);
    assert_string_equal(again.created_at, first.created_at);
    assert_int_equal(sc_store_player_by_token(f->st, h1, &got),
                     SC_STORE_NOTFOUND);
    assert_int_equal(sc_store_player_by_token(f->st, h2, &got), SC_STORE_OK);
    assert_string_equal(got.id, first.id);
    assert_int_equal(got.role, SC_ROLE_ADMIN);
}

static void instance_insert_and_get(void **state)
{
    fixture *f = *state;
    sc_instance_row row, got;

    memset(&row, 0, sizeof row);
    assert_int_equal(sc_store_next_seq(f->st, &row.seq), SC_STORE_OK);
    sc_keys_new_id(row.id, "in_");
    snprintf(row.owner, sizeof row.owner, "%s", f->owner.id);
    snprintf(row.family, sizeof row.family, "pancakes");
    row.params = "{\"dim\": 8, \"gamma\": 2.5}";
    row.oracle = "{\"t_min\": 0.25, \"noise\": 0.5}";
    row.budget[SC_METER_SAMPLES] = 1000;
    row.budget[SC_METER_SCORE] = SC_UNLIMITED;
    row.budget[SC_METER_LOGPDF] = 0;
    memset(row.commitment, 'f', 64);
    snprintf(row.created_at, sizeof row.created_at, "2026-11-22T05:00:00Z");
    snprintf(row.challenge, sizeof row.challenge, "%s",
             "ch_0123456789abcdef01234567");
    row.round = 3;
    row.coin_seq = 77;
    assert_int_equal(sc_store_instance_insert(f->st, &row), SC_STORE_OK);

    assert_int_equal(sc_store_instance_get(f->st, row.id, &got), SC_STORE_OK);
    assert_int_equal(got.seq, row.seq);
    assert_string_equal(got.id, row.id);
    assert_string_equal(got.owner, row.owner);
    assert_string_equal(got.family, "pancakes");
    assert_string_equal(got.params, row.params);
    assert_string_equal(got.oracle, row.oracle);
    for (int m = 0; m < SC_METERS; m++) {
        assert_int_equal(got.budget[m], row.budget[m]);
        assert_int_equal(got.used[m], 0);
    }
    assert_string_equal(got.commitment, row.commitment);
    assert_false(got.revealed);
    assert_string_equal(got.created_at, row.created_at);
    assert_string_equal(got.challenge, row.challenge);
    assert_int_equal(got.round, 3);
    assert_int_equal(got.coin_seq, 77);
    sc_store_instance_row_free(&got);

    /* The same id or seq again, an unknown owner, an unknown id. */
    assert_int_equal(sc_store_instance_insert(f->st, &row),
                     SC_STORE_CONFLICT);
    sc_keys_new_id(row.id, "in_");
    assert_int_equal(sc_store_instance_insert(f->st, &row),
                     SC_STORE_CONFLICT);
    assert_int_equal(sc_store_next_seq(f->st, &row.seq), SC_STORE_OK);
    snprintf(row.owner, sizeof row.owner, "pl_nobody");
    assert_int_equal(sc_store_instance_insert(f->st, &row),
                     SC_STORE_NOTFOUND);
    assert_int_equal(sc_store_instance_get(f->st, row.id, &got),
                     SC_STORE_NOTFOUND);
}

static void plain_instance_defaults(void **state)
{
    fixture *f = *state;
    sc_instance_row row, got;

    make_instance(f, 1, 2, 3, &row);
    assert_int_equal(sc_store_instance_get(f->st, row.id, &got), SC_STORE_OK);
    assert_int_equal(strlen(got.created_at), 20); /* stamped by the store */
    assert_string_equal(got.challenge, "");
    assert_int_equal(got.round, -1);
    assert_int_equal(got.coin_seq, 0);
    sc_store_instance_row_free(&got);
}

static void spend_exact_boundary(void **state)
{
    fixture *f = *state;
    sc_instance_row row;
    uint64_t before = 99;

    make_instance(f, 10, SC_UNLIMITED, SC_UNLIMITED, &row);
    assert_int_equal(sc_store_spend(f->st, row.id, SC_METER_SAMPLES, 10,
                                    &before),
                     SC_STORE_OK);
    assert_int_equal(before, 0);
    assert_int_equal(sc_store_spend(f->st, row.id, SC_METER_SAMPLES, 1,
                                    &before),
                     SC_STORE_BUDGET);
    assert_int_equal(before, 10);
    /* Zero points always fit. */
    assert_int_equal(sc_store_spend(f->st, row.id, SC_METER_SAMPLES, 0,
                                    &before),
                     SC_STORE_OK);
    assert_int_equal(before, 10);
    assert_int_equal(used_of(f, row.id, SC_METER_SAMPLES), 10);
}

static void refused_spend_changes_nothing(void **state)
{
    fixture *f = *state;
    sc_instance_row row, got;
    uint64_t before;

    make_instance(f, 10, 5, 8, &row);
    assert_int_equal(sc_store_spend(f->st, row.id, SC_METER_SCORE, 3,
                                    &before),
                     SC_STORE_OK);
    assert_int_equal(sc_store_spend(f->st, row.id, SC_METER_SCORE, 3,
                                    &before),
                     SC_STORE_BUDGET);
    assert_int_equal(before, 3);
    assert_int_equal(sc_store_spend(f->st, row.id, SC_METER_LOGPDF, 9,
                                    &before),
                     SC_STORE_BUDGET);
    assert_int_equal(before, 0);
    assert_int_equal(sc_store_instance_get(f->st, row.id, &got), SC_STORE_OK);
    assert_int_equal(got.used[SC_METER_SAMPLES], 0);
    assert_int_equal(got.used[SC_METER_SCORE], 3);
    assert_int_equal(got.used[SC_METER_LOGPDF], 0);
    sc_store_instance_row_free(&got);
    assert_int_equal(sc_store_spend(f->st, "in_nobody", SC_METER_SCORE, 1,
                                    &before),
                     SC_STORE_NOTFOUND);
}

static void unlimited_meters(void **state)
{
    fixture *f = *state;
    sc_instance_row row;
    const uint64_t big = UINT64_C(1) << 60;
    uint64_t before;

    make_instance(f, SC_UNLIMITED, SC_UNLIMITED, SC_UNLIMITED, &row);
    for (int m = 0; m < SC_METERS; m++) {
        assert_int_equal(sc_store_spend(f->st, row.id, m, big, &before),
                         SC_STORE_OK);
        assert_int_equal(before, 0);
        assert_int_equal(sc_store_spend(f->st, row.id, m, 5, &before),
                         SC_STORE_OK);
        assert_int_equal(before, big);
        assert_int_equal(used_of(f, row.id, m), big + 5);
    }
    /* A counter never overflows: such a spend is refused whole. */
    assert_int_equal(sc_store_spend(f->st, row.id, SC_METER_SAMPLES,
                                    (uint64_t)INT64_MAX, &before),
                     SC_STORE_BUDGET);
    assert_int_equal(before, big + 5);
    assert_int_equal(sc_store_spend(f->st, row.id, SC_METER_SAMPLES,
                                    UINT64_MAX - 1, &before),
                     SC_STORE_BUDGET);
    assert_int_equal(used_of(f, row.id, SC_METER_SAMPLES), big + 5);
}

static void reveal_once(void **state)
{
    fixture *f = *state;
    sc_instance_row row, got;

    make_instance(f, 1, 1, 1, &row);
    assert_int_equal(sc_store_instance_reveal(f->st, row.id), SC_STORE_OK);
    assert_int_equal(sc_store_instance_reveal(f->st, row.id),
                     SC_STORE_CONFLICT);
    assert_int_equal(sc_store_instance_reveal(f->st, "in_nobody"),
                     SC_STORE_NOTFOUND);
    assert_int_equal(sc_store_instance_get(f->st, row.id, &got), SC_STORE_OK);
    assert_true(got.revealed);
    sc_store_instance_row_free(&got);
}

#define THREADS 8
#define CONCURRENT_BUDGET 600
#define MAX_SPENDS CONCURRENT_BUDGET

typedef struct spender {
    fixture *f;
    const char *id;
    uint64_t n;                 /* points per spend */
    uint64_t first[MAX_SPENDS]; /* *before of each successful spend */
    size_t count;
    int64_t seqs[16];
    int failures; /* answers other than OK and BUDGET */
} spender;

static void *spend_until_refused(void *arg)
{
    spender *s = arg;

    for (size_t i = 0; i < 16; i++)
        if (sc_store_next_seq(s->f->st, &s->seqs[i]) != SC_STORE_OK)
            s->failures++;
    for (;;) {
        uint64_t before;
        int rc = sc_store_spend(s->f->st, s->id, SC_METER_SAMPLES, s->n,
                                &before);
        if (rc == SC_STORE_BUDGET)
            break;
        if (rc != SC_STORE_OK || s->count == MAX_SPENDS) {
            s->failures++;
            break;
        }
        s->first[s->count++] = before;
    }
    return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return (x > y) - (x < y);
}

/* Successful spends of one size claim disjoint ranges of the meter, so
 * sorted they step by n from some start; with several sizes, the
 * union must tile [0, used) exactly: checked through a point map. */
static void concurrent_spend_never_overspends(void **state)
{
    fixture *f = *state;
    static spender sp[THREADS];
    pthread_t th[THREADS];
    unsigned char claimed[CONCURRENT_BUDGET] = {0};
    int64_t seqs[THREADS * 16];
    uint64_t sum = 0, used;
    sc_instance_row row;

    make_instance(f, CONCURRENT_BUDGET, SC_UNLIMITED, SC_UNLIMITED, &row);
    for (int i = 0; i < THREADS; i++) {
        memset(&sp[i], 0, sizeof sp[i]);
        sp[i].f = f;
        sp[i].id = row.id;
        sp[i].n = 1 + (uint64_t)(i % 4);
        assert_int_equal(pthread_create(&th[i], NULL, spend_until_refused,
                                        &sp[i]),
                         0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);

    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(sp[i].failures, 0);
        for (size_t k = 0; k < sp[i].count; k++) {
            sum += sp[i].n;
            for (uint64_t p = 0; p < sp[i].n; p++) {
                uint64_t at = sp[i].first[k] + p;
                assert_true(at < CONCURRENT_BUDGET);
                assert_int_equal(claimed[at], 0); /* no point twice */
                claimed[at] = 1;
            }
        }
        memcpy(seqs + 16 * i, sp[i].seqs, sizeof sp[i].seqs);
    }
    used = used_of(f, row.id, SC_METER_SAMPLES);
    assert_int_equal(sum, used);
    assert_true(used <= CONCURRENT_BUDGET);
    assert_true(used > CONCURRENT_BUDGET - 4); /* the 1-point spender ran on */
    for (uint64_t p = 0; p < used; p++)
        assert_int_equal(claimed[p], 1);
    qsort(seqs, THREADS * 16, sizeof seqs[0], cmp_u64);
    for (size_t i = 1; i < THREADS * 16; i++)
        assert_true(seqs[i] != seqs[i - 1]);
}

/* The child spends one point at a time and reports each acknowledged
 * spend on the pipe; it never returns. */
static void spend_forever(const char *dir, const char *id, int fd)
{
    char err[256];
    sc_store *st = NULL;

    if (sc_store_open(dir, &st, err, sizeof err) != SC_STORE_OK)
        _exit(2);
    for (;;) {
        uint64_t before;
        if (sc_store_spend(st, id, SC_METER_SAMPLES, 1, &before) !=
            SC_STORE_OK)
            _exit(3);
        if (write(fd, &before, sizeof before) != (ssize_t)sizeof before)
            _exit(4);
    }
}

static void kill9_keeps_acknowledged_spends(void **state)
{
    fixture *f = *state;
    sc_instance_row row;
    uint64_t acked = 0, v;
    int fds[2], status;
    pid_t pid;

    make_instance(f, SC_UNLIMITED, SC_UNLIMITED, SC_UNLIMITED, &row);
    sc_store_close(f->st); /* no connection crosses a fork */
    f->st = NULL;
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        spend_forever(f->where, row.id, fds[1]);
    }
    close(fds[1]);
    for (;;) {
        ssize_t r = read(fds[0], &v, sizeof v);
        if (r < 0 && errno == EINTR)
            continue;
        if (r != (ssize_t)sizeof v)
            break; /* EOF once the child is dead */
        assert_int_equal(v, acked); /* one writer: the uses come in order */
        acked++;
        if (acked == 200)
            kill(pid, SIGKILL);
    }
    close(fds[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_true(acked >= 200);

    f->st = open_store(f->where);
    /* Every acknowledged spend is there; at most one more (committed but
     * killed before it was reported). */
    v = used_of(f, row.id, SC_METER_SAMPLES);
    assert_true(v >= acked);
    assert_true(v <= acked + 1);
}

/* A grouped op that writes and then fails: its savepoint is undone. */
static int write_then_fail(sc_store_conn *c, void *arg)
{
    static const char sql[] =
        "UPDATE instances SET used_score = used_score + 5 WHERE id = ?1";
    sqlite3_stmt *s = sc_store_stmt(c, sql);

    assert_non_null(s);
    sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
    assert_int_equal(sc_store_done(c, s, sqlite3_step(s), "test"),
                     SC_STORE_OK);
    return SC_STORE_CONFLICT;
}

/* The same in a PostgreSQL transaction: rolled back whole. */
static int pg_write_then_fail(sc_pg_conn *c, void *arg)
{
    static const char sql[] =
        "UPDATE instances SET used_score = used_score + 5 WHERE id = $1";
    sc_pg_params p = {0};

    sc_pg_text(&p, arg);
    assert_int_equal(sc_pg_run(c, sql, &p, NULL, "test"), SC_STORE_OK);
    return SC_STORE_CONFLICT;
}

static void failed_grouped_op_leaves_no_change(void **state)
{
    fixture *f = *state;
    sc_instance_row row;

    make_instance(f, 10, 10, 10, &row);
    if (sc_test_on_pg())
        assert_int_equal(sc_pg_tx(f->st, pg_write_then_fail, row.id),
                         SC_STORE_CONFLICT);
    else
        assert_int_equal(sc_store_grouped(f->st, write_then_fail, row.id),
                         SC_STORE_CONFLICT);
    assert_int_equal(used_of(f, row.id, SC_METER_SCORE), 0);
}

/* The first key's fingerprint is recorded; another one never matches
 * and changes nothing; data makes the store hold data. */
static void key_fingerprint_recorded_once(void **state)
{
    fixture *f = *state;
    uint8_t a[32], b[32];
    bool match = false, data = false;

    random_hash(a);
    random_hash(b);
    assert_int_equal(sc_store_key_fingerprint(f->st, a, &match),
                     SC_STORE_OK);
    assert_true(match);
    assert_int_equal(sc_store_key_fingerprint(f->st, b, &match),
                     SC_STORE_OK);
    assert_false(match);
    assert_int_equal(sc_store_key_fingerprint(f->st, a, &match),
                     SC_STORE_OK);
    assert_true(match);
    assert_int_equal(sc_store_holds_data(f->st, &data), SC_STORE_OK);
    assert_true(data);
}

#define NAMES 20

typedef struct registrar {
    fixture *f;
    int index;
    int ok, conflict, other;
} registrar;

/* Each thread registers its own names and one name every thread wants. */
static void *register_names(void *arg)
{
    registrar *r = arg;

    for (int i = 0; i <= NAMES; i++) {
        char name[32];
        uint8_t h[32];
        sc_player p;
        int rc;

        if (i == NAMES)
            snprintf(name, sizeof name, "everyone-wants-this");
        else
            snprintf(name, sizeof name, "t%d-%d", r->index, i);
        random_hash(h);
        rc = sc_store_player_create(r->f->st, name, SC_ROLE_PLAYER, h, &p);
        if (rc == SC_STORE_OK && strcmp(p.name, name) == 0)
            r->ok++;
        else if (rc == SC_STORE_CONFLICT)
            r->conflict++;
        else
            r->other++;
    }
    return NULL;
}

static void concurrent_registration_one_winner(void **state)
{
    fixture *f = *state;
    registrar reg[THREADS];
    pthread_t th[THREADS];
    int ok = 0, conflict = 0;

    for (int i = 0; i < THREADS; i++) {
        reg[i] = (registrar){f, i, 0, 0, 0};
        assert_int_equal(pthread_create(&th[i], NULL, register_names,
                                        &reg[i]),
                         0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(reg[i].other, 0);
        ok += reg[i].ok;
        conflict += reg[i].conflict;
    }
    assert_int_equal(ok, THREADS * NAMES + 1);
    assert_int_equal(conflict, THREADS - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reopen_keeps_data_and_version, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(newer_schema_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(players_by_token_and_id, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(upsert_moves_the_token, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(instance_insert_and_get, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(plain_instance_defaults, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(spend_exact_boundary, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(refused_spend_changes_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(unlimited_meters, setup, teardown),
        cmocka_unit_test_setup_teardown(reveal_once, setup, teardown),
        cmocka_unit_test_setup_teardown(concurrent_spend_never_overspends,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(kill9_keeps_acknowledged_spends,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(failed_grouped_op_leaves_no_change,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(key_fingerprint_recorded_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(concurrent_registration_one_winner,
                                        setup, teardown),
    };
    return sc_test_run_groups("store", tests, sizeof tests / sizeof tests[0]);
}
