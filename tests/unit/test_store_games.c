/* The games' tables: challenges and rounds (answers once, finish once,
 * the leaderboard's order), classes, enrolments, assignments; run
 * against SQLite and PostgreSQL (backends.h). */
#include <pthread.h>
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
#include "server/keys.h"
#include "server/store.h"
#include "server/store_games.h"
#include "server/store_sqlite.h"
#include "backends.h"
#include "tmpdir.h"

typedef struct fixture {
    char dir[SC_TEST_PATH];
    char where[SC_TEST_PATH];
    sc_store *st;
    sc_player owner;
} fixture;

static sc_player new_player(sc_store *st, const char *name)
{
    uint8_t h[32];
    sc_player p;
    sc_random(h, sizeof h);
    assert_int_equal(sc_store_player_create(st, name, SC_ROLE_PLAYER, h, &p),
                     SC_STORE_OK);
    return p;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[256] = "";
    assert_non_null(f);
    sc_test_tmpdir(f->dir);
    sc_test_where(f->dir, f->where);
    if (sc_store_open(f->where, &f->st, err, sizeof err) != SC_STORE_OK)
        fail_msg("sc_store_open: %s", err);
    f->owner = new_player(f->st, "owner");
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

static void make_instance(fixture *f, const char *challenge, int round,
                          char id[SC_ID_LEN])
{
    sc_instance_row row = {0};
    assert_int_equal(sc_store_next_seq(f->st, &row.seq), SC_STORE_OK);
    sc_keys_new_id(row.id, "in_");
    snprintf(row.owner, sizeof row.owner, "%s", f->owner.id);
    snprintf(row.family, sizeof row.family, "gaussian");
    snprintf(row.challenge, sizeof row.challenge, "%s", challenge);
    row.params = "{\"dim\": 3}";
    row.oracle = "{\"t_min\": 0.0, \"noise\": 0.0}";
    for (int m = 0; m < SC_METERS; m++)
        row.budget[m] = SC_UNLIMITED;
    memset(row.commitment, 'a', 64);
    row.round = round;
    assert_int_equal(sc_store_instance_insert(f->st, &row), SC_STORE_OK);
    snprintf(id, SC_ID_LEN, "%s", row.id);
}

/* An open distinguish challenge of n rounds (n <= 4) owned by owner. */
static void make_challenge(fixture *f, const char *owner, bool public_,
                           const char *assignment, unsigned n,
                           sc_challenge_row *c)
{
    sc_round_row rounds[4] = {0};
    memset(c, 0, sizeof *c);
    assert_true(n <= 4);
    assert_int_equal(sc_store_next_seq(f->st, &c->seq), SC_STORE_OK);
    sc_keys_new_id(c->id, "ch_");
    snprintf(c->owner, sizeof c->owner, "%s", owner);
    snprintf(c->kind, sizeof c->kind, "distinguish");
    snprintf(c->preset, sizeof c->preset, "pancakes-easy");
    snprintf(c->board, sizeof c->board, "pancakes-easy");
    snprintf(c->assignment, sizeof c->assignment, "%s", assignment);
    c->spec = "{\"family\": \"pancakes\"}";
    c->rounds = n;
    c->public_ = public_;
    memset(c->commitment, 'b', 64);
    snprintf(c->created_at, sizeof c->created_at, "2026-11-22T05:00:00Z");
    for (unsigned i = 0; i < n; i++) {
        rounds[i].index = i;
        make_instance(f, c->id, (int)i, rounds[i].instance);
    }
    assert_int_equal(sc_store_challenge_insert(f->st, c, rounds, n),
                     SC_STORE_OK);
    c->spec = NULL;
}

/* Finishes c with rank keys (r0, r1); answered[i] says what the caller
 * read of round i (NULL: every round unanswered). */
static int finish_as_read(fixture *f, sc_challenge_row *c, double r0,
                          double r1, const bool *answered)
{
    sc_round_row rounds[4] = {0};
    for (unsigned i = 0; i < c->rounds; i++) {
        rounds[i].index = i;
        rounds[i].answered = answered != NULL && answered[i];
        rounds[i].value = 0.5; /* unanswered rounds get their outcome */
    }
    c->result = "{\"p_value\": 0.5}";
    c->reveal = "{}";
    c->receipt = "{}";
    c->rank[0] = r0;
    c->rank[1] = r1;
    snprintf(c->finished_at, sizeof c->finished_at, "2026-11-22T06:00:00Z");
    int rc = sc_store_challenge_finish(f->st, c, rounds, c->rounds);
    c->result = c->reveal = c->receipt = NULL;
    return rc;
}

static int finish(fixture *f, sc_challenge_row *c, double r0, double r1)
{
    return finish_as_read(f, c, r0, r1, NULL);
}

static void an_answer_is_final(void **state)
{
    fixture *f = *state;
    sc_challenge_row c;
    sc_round_row r;
    make_challenge(f, f->owner.id, true, "", 2, &c);
    assert_int_equal(sc_store_round_answer(f->st, c.id, 0, 1, 0, 0),
                     SC_STORE_OK);
    assert_int_equal(sc_store_round_answer(f->st, c.id, 0, 0, 0, 0),
                     SC_STORE_CONFLICT);
    assert_int_equal(sc_store_round_get(f->st, c.id, 0, &r), SC_STORE_OK);
    assert_true(r.answered && r.value == 1);
    free(r.public_);
    assert_int_equal(sc_store_round_get(f->st, c.id, 7, &r),
                     SC_STORE_NOTFOUND);
}

#define RACERS 8

typedef struct racer {
    sc_store *st;
    const char *id;
    int k;
    int rc[2]; /* the answer to round 0; then the finish, or -99 */
    bool finisher;
} racer;

/* Answers round 0 with the racer's own value; a finisher then finishes
 * as it read the rounds a moment before. */
static void *race(void *arg)
{
    racer *r = arg;
    sc_round_row rounds[2] = {{0}, {0}};
    r->rc[0] = sc_store_round_answer(r->st, r->id, 0, r->k, 0, 1);
    r->rc[1] = -99;
    if (!r->finisher)
        return NULL;
    sc_challenge_row c = {0};
    snprintf(c.id, sizeof c.id, "%s", r->id);
    c.result = "{}";
    c.reveal = "{}";
    c.receipt = "{}";
    snprintf(c.finished_at, sizeof c.finished_at, "2026-11-22T06:00:00Z");
    rounds[0].index = 0;
    rounds[0].answered = true;
    rounds[1].index = 1;
    rounds[1].value = -1;
    r->rc[1] = sc_store_challenge_finish(r->st, &c, rounds, 2);
    return NULL;
}

/* Replicas racing on one challenge through their own store handles (two
 * opens of one database): round 0 takes exactly one answer, round 1
 * none, and exactly one finish wins. */
static void once_across_handles(void **state)
{
    fixture *f = *state;
    sc_store *other = NULL;
    char err[256] = "";
    sc_challenge_row c, got;
    racer r[RACERS];
    pthread_t th[RACERS];
    int answers = 0, finishes = 0, winner = -1;
    sc_round_row round;

    assert_int_equal(sc_store_open(f->where, &other, err, sizeof err),
                     SC_STORE_OK);
    make_challenge(f, f->owner.id, true, "", 2, &c);
    for (int i = 0; i < RACERS; i++) {
        r[i] = (racer){i % 2 ? other : f->st, c.id, i + 1, {0, 0},
                       i < 4};
        assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
    }
    for (int i = 0; i < RACERS; i++) {
        pthread_join(th[i], NULL);
        assert_true(r[i].rc[0] == SC_STORE_OK ||
                    r[i].rc[0] == SC_STORE_CONFLICT);
        assert_true(r[i].rc[1] == -99 || r[i].rc[1] == SC_STORE_OK ||
                    r[i].rc[1] == SC_STORE_CONFLICT);
        answers += r[i].rc[0] == SC_STORE_OK;
        winner = r[i].rc[0] == SC_STORE_OK ? r[i].k : winner;
        finishes += r[i].rc[1] == SC_STORE_OK;
    }
    assert_int_equal(answers, 1);
    assert_int_equal(finishes, 1);
    assert_int_equal(sc_store_round_get(other, c.id, 0, &round),
                     SC_STORE_OK);
    assert_true(round.answered && round.value == winner);
    free(round.public_);
    assert_int_equal(sc_store_round_get(f->st, c.id, 1, &round),
                     SC_STORE_OK);
    assert_true(!round.answered && round.value == -1);
    free(round.public_);
    assert_int_equal(sc_store_challenge_get(other, c.id, &got), SC_STORE_OK);
    assert_true(got.finished);
    sc_challenge_row_free(&got);
    sc_store_close(other);
}

static void finish_is_once_and_closes_rounds(void **state)
{
    fixture *f = *state;
    sc_challenge_row c, got;
    sc_round_row *rounds;
    size_t n;
    make_challenge(f, f->owner.id, true, "", 3, &c);
    const bool answered[3] = {false, true, false};
    assert_int_equal(sc_store_round_answer(f->st, c.id, 1, 1, 0, 0),
                     SC_STORE_OK);
    assert_int_equal(finish_as_read(f, &c, 0.5, 0, answered), SC_STORE_OK);
    assert_int_equal(finish_as_read(f, &c, 0.5, 0, answered),
                     SC_STORE_CONFLICT);
    assert_int_equal(sc_store_round_answer(f->st, c.id, 2, 1, 0, 0),
                     SC_STORE_CONFLICT);
    assert_int_equal(sc_store_challenge_get(f->st, c.id, &got), SC_STORE_OK);
    assert_true(got.finished);
    assert_string_equal(got.result, "{\"p_value\": 0.5}");
    assert_string_equal(got.finished_at, "2026-11-22T06:00:00Z");
    sc_challenge_row_free(&got);
    assert_int_equal(sc_store_challenge_rounds(f->st, c.id, &rounds, &n),
                     SC_STORE_OK);
    assert_int_equal(n, 3);
    /* The answered round keeps its outcome, the others got finish's. */
    assert_true(rounds[1].answered && rounds[1].value == 1);
    assert_true(!rounds[0].answered && rounds[0].value == 0.5);
    for (size_t i = 0; i < n; i++) {
        sc_instance_row row;
        assert_int_equal(sc_store_instance_get(f->st, rounds[i].instance,
                                               &row),
                         SC_STORE_OK);
        assert_true(row.revealed);
        sc_store_instance_row_free(&row);
    }
    sc_round_rows_free(rounds, n);
}

/* A finish built on rounds read before an answer was stored would drop
 * that answer from the result: the store refuses it whole. */
static void finish_refuses_a_round_answered_since_read(void **state)
{
    fixture *f = *state;
    sc_challenge_row c, got;
    sc_round_row r;
    make_challenge(f, f->owner.id, true, "", 2, &c);
    assert_int_equal(sc_store_round_answer(f->st, c.id, 1, 1, 0, 0),
                     SC_STORE_OK);
    assert_int_equal(finish(f, &c, 0.5, 0), SC_STORE_CONFLICT);
    assert_int_equal(sc_store_challenge_get(f->st, c.id, &got), SC_STORE_OK);
    assert_false(got.finished);
    sc_challenge_row_free(&got);
    assert_int_equal(sc_store_round_get(f->st, c.id, 0, &r), SC_STORE_OK);
    assert_true(!r.answered && r.value != 0.5);
    free(r.public_);
    assert_int_equal(sc_store_round_answer(f->st, c.id, 0, 1, 0, 0),
                     SC_STORE_OK);
}

static void standing_reads_a_boards_finished_public_by_owner(void **state)
{
    fixture *f = *state;
    sc_player other = new_player(f->st, "other");
    sc_challenge_row a, b, hidden, open, theirs, *rows;
    sc_board_key *keys;
    size_t n;
    make_challenge(f, f->owner.id, true, "", 1, &a);
    make_challenge(f, f->owner.id, true, "", 1, &b);
    make_challenge(f, f->owner.id, false, "", 1, &hidden);
    make_challenge(f, f->owner.id, true, "", 1, &open);
    make_challenge(f, other.id, true, "", 1, &theirs);
    assert_int_equal(finish(f, &a, 0.25, -0.5), SC_STORE_OK);
    assert_int_equal(finish(f, &b, 0.25, -0.9), SC_STORE_OK);
    assert_int_equal(finish(f, &hidden, 0.0, 0), SC_STORE_OK);
    assert_int_equal(finish(f, &theirs, 0.0, 0), SC_STORE_OK);
    assert_int_equal(sc_store_standing(f->st, "distinguish", "pancakes-easy",
                                       "", "9999", 10, &rows, &n),
                     SC_STORE_OK);
    assert_int_equal(n, 3);
    /* Grouped by owner: one player's attempts are adjacent. */
    int changes = 0;
    for (size_t i = 1; i < n; i++)
        changes += strcmp(rows[i].owner, rows[i - 1].owner) != 0;
    assert_int_equal(changes, 1);
    sc_challenge_list_free(rows, n);
    /* Finished before a time in the past: none (a frozen season). */
    assert_int_equal(sc_store_standing(f->st, "distinguish", "pancakes-easy",
                                       "", "2000-01-01T00:00:00Z", 10, &rows,
                                       &n),
                     SC_STORE_OK);
    assert_int_equal(n, 0);
    sc_challenge_list_free(rows, n);
    assert_int_equal(sc_store_standing(f->st, "distinguish", "other", "",
                                       "9999", 10, &rows, &n),
                     SC_STORE_OK);
    assert_int_equal(n, 0);
    sc_challenge_list_free(rows, n);
    assert_int_equal(sc_store_boards(f->st, "distinguish", "", NULL, 10,
                                     &keys, &n),
                     SC_STORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(keys[0].key, "pancakes-easy");
    free(keys);
    assert_int_equal(sc_store_boards(f->st, "recover", "", NULL, 10, &keys,
                                     &n),
                     SC_STORE_OK);
    assert_int_equal(n, 0);
    free(keys);
}

/* The attempt limit is checked in the insert itself. */
static void a_limited_insert_counts_public_attempts(void **state)
{
    fixture *f = *state;
    sc_challenge_row a, b, hidden, extra;
    unsigned count = 0;
    char oldest[32];
    make_challenge(f, f->owner.id, true, "", 1, &a);
    make_challenge(f, f->owner.id, true, "", 1, &b);
    make_challenge(f, f->owner.id, false, "", 1, &hidden);
    assert_int_equal(sc_store_attempts(f->st, f->owner.id, "distinguish",
                                       "pancakes-easy", "",
                                       "2026-01-01T00:00:00Z", &count,
                                       oldest),
                     SC_STORE_OK);
    assert_int_equal(count, 2);
    assert_string_equal(oldest, "2026-11-22T05:00:00Z");
    assert_int_equal(sc_store_attempts(f->st, f->owner.id, "distinguish",
                                       "pancakes-easy", "",
                                       "2026-12-01T00:00:00Z", &count,
                                       oldest),
                     SC_STORE_OK);
    assert_int_equal(count, 0);
    memset(&extra, 0, sizeof extra);
    assert_int_equal(sc_store_next_seq(f->st, &extra.seq), SC_STORE_OK);
    sc_keys_new_id(extra.id, "ch_");
    snprintf(extra.owner, sizeof extra.owner, "%s", f->owner.id);
    snprintf(extra.kind, sizeof extra.kind, "distinguish");
    snprintf(extra.board, sizeof extra.board, "pancakes-easy");
    extra.spec = "{}";
    extra.rounds = 1;
    extra.public_ = true;
    memset(extra.commitment, 'c', 64);
    snprintf(extra.created_at, sizeof extra.created_at,
             "2026-11-22T05:00:01Z");
    snprintf(extra.attempts_since, sizeof extra.attempts_since,
             "2026-01-01T00:00:00Z");
    extra.attempt_limit = 2;
    assert_int_equal(sc_store_challenge_insert(f->st, &extra, NULL, 0),
                     SC_STORE_BUDGET);
    assert_int_equal(sc_store_challenge_get(f->st, extra.id, &a),
                     SC_STORE_NOTFOUND);
    extra.attempt_limit = 3;
    assert_int_equal(sc_store_challenge_insert(f->st, &extra, NULL, 0),
                     SC_STORE_OK);
}

static void seasons_insert_get_and_list(void **state)
{
    fixture *f = *state;
    sc_season_row s = {0}, got, *rows;
    size_t n;
    snprintf(s.id, sizeof s.id, "se_0123456789abcdef01234567");
    snprintf(s.name, sizeof s.name, "winter");
    s.presets = "[{\"name\": \"pancakes-easy\"}]";
    s.attempt_limit = 5;
    snprintf(s.starts_at, sizeof s.starts_at, "2026-12-01T00:00:00Z");
    snprintf(s.ends_at, sizeof s.ends_at, "2027-01-01T00:00:00Z");
    s.manifest = "{}";
    snprintf(s.created_at, sizeof s.created_at, "2026-11-30T00:00:00Z");
    assert_int_equal(sc_store_season_insert(f->st, &s), SC_STORE_OK);
    assert_int_equal(sc_store_season_get(f->st, s.id, &got), SC_STORE_OK);
    assert_string_equal(got.name, "winter");
    assert_string_equal(got.presets, s.presets);
    assert_int_equal(got.attempt_limit, 5);
    assert_string_equal(got.ends_at, s.ends_at);
    sc_season_row_free(&got);
    s.id[3] = 'f'; /* another id, the same name */
    assert_int_equal(sc_store_season_insert(f->st, &s), SC_STORE_CONFLICT);
    assert_int_equal(sc_store_season_get(f->st, s.id, &got),
                     SC_STORE_NOTFOUND);
    assert_int_equal(sc_store_season_list(f->st, &rows, &n), SC_STORE_OK);
    assert_int_equal(n, 1);
    sc_season_list_free(rows, n);
}

/* A database at schema 2 (the first games schema), written by hand. */
static const char v2_rows[] =
    "CREATE TABLE schema_version (version INTEGER NOT NULL);"
    "INSERT INTO schema_version VALUES (2);"
    "INSERT INTO players VALUES ('pl_a', 'a', 'player', zeroblob(32),"
    " '2026-01-01T00:00:00Z');"
    "INSERT INTO challenges (id, seq, owner, kind, preset, spec, rounds,"
    " eval, tolerance, public, commitment, created_at) VALUES"
    " ('ch_d', 5, 'pl_a', 'distinguish', NULL, '{}', 2, 0, 0, 1, 'c',"
    "  '2026-01-01T00:00:00Z'),"
    " ('ch_r', 8, 'pl_a', 'recover', 'pancakes-easy', '{}', 1, 0, 0, 1,"
    "  'c', '2026-01-01T00:00:00Z');"
    "INSERT INTO instances (id, seq, owner, family, params, oracle,"
    " commitment, created_at, challenge, round, null_dist) VALUES"
    " ('in_0', 6, 'pl_a', 'pancakes', '{}', '{}', 'c', 't', 'ch_d', 0, 1),"
    " ('in_1', 7, 'pl_a', 'pancakes', '{}', '{}', 'c', 't', 'ch_d', 1, 0),"
    " ('in_2', 9, 'pl_a', 'pancakes', '{}', '{}', 'c', 't', 'ch_r', 0, 0);"
    "INSERT INTO challenge_rounds (challenge, idx, instance, answered,"
    " value) VALUES ('ch_d', 0, 'in_0', 1, 1), ('ch_d', 1, 'in_1', 1, 1),"
    " ('ch_r', 0, 'in_2', 1, 0.75);";

static double scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    double v = sqlite3_column_double(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* Migrations 5 and 6 keep what old rows meant: the coin moves from
 * null_dist to the challenge's seq, a right distinguish answer becomes
 * the guess it was, and boards are filled in. */
static void migrations_carry_old_games_over(void **state)
{
    /* SQLite's own migrations on its own file; no PostgreSQL database
     * predates its schema. */
    if (sc_test_on_pg())
        skip();
    char dir[SC_TEST_PATH], path[SC_TEST_PATH + 16], err[256] = "";
    sqlite3 *db = NULL;
    sc_store *st = NULL;
    (void)state;
    sc_test_tmpdir(dir);
    snprintf(path, sizeof path, "%s/scoracle.db", dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sc_store_migrations[0], NULL, NULL,
                                  NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sc_store_migrations[1], NULL, NULL,
                                  NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, v2_rows, NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    if (sc_store_open(dir, &st, err, sizeof err) != SC_STORE_OK)
        fail_msg("sc_store_open: %s", err);
    assert_int_equal(sc_store_schema_version(st), (int)sc_store_nmigrations);
    sc_store_close(st);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    /* Both distinguish rounds name their challenge's seq; recover none. */
    assert_true(scalar(db, "SELECT coin_seq FROM instances"
                             " WHERE id = 'in_0'") == 5);
    assert_true(scalar(db, "SELECT coin_seq FROM instances"
                             " WHERE id = 'in_1'") == 5);
    assert_true(scalar(db, "SELECT coin_seq FROM instances"
                             " WHERE id = 'in_2'") == 0);
    /* Right on a null round: the guess was null (0); right on a planted
     * round: planted (1); other kinds unchanged. */
    assert_true(scalar(db, "SELECT value FROM challenge_rounds"
                             " WHERE instance = 'in_0'") == 0);
    assert_true(scalar(db, "SELECT value FROM challenge_rounds"
                             " WHERE instance = 'in_1'") == 1);
    assert_true(scalar(db, "SELECT value FROM challenge_rounds"
                             " WHERE instance = 'in_2'") == 0.75);
    assert_true(scalar(db, "SELECT count(*) FROM challenges WHERE"
                             " id = 'ch_d' AND board = 'custom-legacy'") ==
                1);
    assert_true(scalar(db, "SELECT count(*) FROM challenges WHERE"
                             " id = 'ch_r' AND board = 'pancakes-easy'") ==
                1);
    assert_true(scalar(db, "SELECT count(*) FROM pragma_table_info("
                             "'instances') WHERE name = 'null_dist'") == 0);
    sqlite3_close(db);
    sc_test_rmtree(dir);
}

static void a_list_is_the_owners_newest_first(void **state)
{
    fixture *f = *state;
    sc_player other = new_player(f->st, "other");
    sc_challenge_row a, b, mine, *rows;
    size_t n;
    make_challenge(f, f->owner.id, true, "", 1, &a);
    make_challenge(f, f->owner.id, true, "", 1, &b);
    make_challenge(f, other.id, true, "", 1, &mine);
    assert_int_equal(sc_store_challenge_list(f->st, f->owner.id, &rows, &n),
                     SC_STORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].id, b.id);
    assert_string_equal(rows[1].id, a.id);
    sc_challenge_list_free(rows, n);
}

static void classes_enrol_assign_and_report(void **state)
{
    fixture *f = *state;
    sc_class_row c = {0}, got;
    uint8_t code[32], other_code[32];
    sc_random(code, sizeof code);
    sc_random(other_code, sizeof other_code);
    sc_keys_new_id(c.id, "cl_");
    snprintf(c.owner, sizeof c.owner, "%s", f->owner.id);
    snprintf(c.name, sizeof c.name, "Hardness 101");
    snprintf(c.created_at, sizeof c.created_at, "2026-11-22T05:00:00Z");
    assert_int_equal(sc_store_class_insert(f->st, &c, code), SC_STORE_OK);
    assert_int_equal(sc_store_class_by_code(f->st, code, &got), SC_STORE_OK);
    assert_string_equal(got.id, c.id);
    assert_int_equal(sc_store_class_by_code(f->st, other_code, &got),
                     SC_STORE_NOTFOUND);

    sc_player s1 = new_player(f->st, "zed"), s2 = new_player(f->st, "amy");
    assert_int_equal(sc_store_class_enroll(f->st, c.id, s1.id), SC_STORE_OK);
    assert_int_equal(sc_store_class_enroll(f->st, c.id, s2.id), SC_STORE_OK);
    assert_int_equal(sc_store_class_enroll(f->st, c.id, s2.id),
                     SC_STORE_CONFLICT);
    sc_player *ps;
    size_t np;
    assert_int_equal(sc_store_class_students(f->st, c.id, &ps, &np),
                     SC_STORE_OK);
    assert_int_equal(np, 2);
    assert_string_equal(ps[0].name, "amy"); /* by name */
    free(ps);

    sc_assignment_row a = {0}, *as;
    size_t na;
    sc_keys_new_id(a.id, "as_");
    snprintf(a.class_id, sizeof a.class_id, "%s", c.id);
    a.spec = "{\"kind\": \"recover\"}";
    snprintf(a.created_at, sizeof a.created_at, "2026-11-22T05:01:00Z");
    assert_int_equal(sc_store_assignment_insert(f->st, &a), SC_STORE_OK);
    assert_int_equal(sc_store_assignments(f->st, c.id, &as, &na),
                     SC_STORE_OK);
    assert_int_equal(na, 1);
    assert_string_equal(as[0].spec, a.spec);
    sc_assignment_list_free(as, na);

    sc_challenge_row c1, c2;
    make_challenge(f, s1.id, false, a.id, 1, &c1);
    make_challenge(f, s2.id, false, a.id, 1, &c2);
    assert_int_equal(finish(f, &c1, 0, 0), SC_STORE_OK);
    sc_class_result *x;
    size_t nx;
    assert_int_equal(sc_store_class_results(f->st, c.id, &x, &nx),
                     SC_STORE_OK);
    assert_int_equal(nx, 2);
    assert_string_equal(x[0].player_name, "amy");
    assert_false(x[0].challenge.finished);
    assert_null(x[0].challenge.result);
    assert_string_equal(x[1].player, s1.id);
    assert_true(x[1].challenge.finished);
    assert_string_equal(x[1].challenge.result, "{\"p_value\": 0.5}");
    assert_string_equal(x[1].assignment, a.id);
    sc_class_results_free(x, nx);
}

static sc_class_row insert_class(fixture *f, const char *owner,
                                 const char *name, uint8_t code[32])
{
    sc_class_row c = {0};
    sc_random(code, 32);
    sc_keys_new_id(c.id, "cl_");
    snprintf(c.owner, sizeof c.owner, "%s", owner);
    snprintf(c.name, sizeof c.name, "%s", name);
    snprintf(c.created_at, sizeof c.created_at, "2026-11-22T05:00:0%dZ",
             name[0] == 'b' ? 1 : 0);
    c.code_gen = 0;
    assert_int_equal(sc_store_class_insert(f->st, &c, code), SC_STORE_OK);
    return c;
}

static void classes_listed_with_codes_replaced(void **state)
{
    fixture *f = *state;
    uint8_t code_a[32], code_b[32], code_c[32], fresh[32];
    sc_player other = new_player(f->st, "other");
    sc_class_row a = insert_class(f, f->owner.id, "alpha", code_a);
    sc_class_row b = insert_class(f, f->owner.id, "beta", code_b);
    insert_class(f, other.id, "gamma", code_c);
    sc_player s = new_player(f->st, "stu");
    assert_int_equal(sc_store_class_enroll(f->st, b.id, s.id), SC_STORE_OK);

    sc_class_row *cs;
    size_t n;
    assert_int_equal(sc_store_classes_of(f->st, f->owner.id, &cs, &n),
                     SC_STORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(cs[0].id, a.id); /* oldest first */
    assert_string_equal(cs[1].id, b.id);
    assert_int_equal(cs[1].students, 1);
    assert_int_equal(cs[0].students, 0);
    assert_int_equal(cs[0].code_gen, 0);
    free(cs);

    sc_random(fresh, sizeof fresh);
    sc_class_row got;
    assert_int_equal(sc_store_class_set_code(f->st, a.id, 3, fresh),
                     SC_STORE_OK);
    assert_int_equal(sc_store_class_by_code(f->st, code_a, &got),
                     SC_STORE_NOTFOUND);
    assert_int_equal(sc_store_class_by_code(f->st, fresh, &got),
                     SC_STORE_OK);
    assert_string_equal(got.id, a.id);
    assert_int_equal(got.code_gen, 3);
    assert_int_equal(sc_store_class_set_code(f->st, "cl_nothing", 1, fresh),
                     SC_STORE_NOTFOUND);
}

static void assignments_keep_title_deadline_and_progress(void **state)
{
    fixture *f = *state;
    uint8_t code[32];
    sc_class_row c = insert_class(f, f->owner.id, "alpha", code);
    sc_assignment_row a = {0}, got;
    sc_keys_new_id(a.id, "as_");
    snprintf(a.class_id, sizeof a.class_id, "%s", c.id);
    a.spec = "{\"kind\": \"distinguish\"}";
    snprintf(a.created_at, sizeof a.created_at, "2026-11-22T05:01:00Z");
    snprintf(a.title, sizeof a.title, "Week 1");
    snprintf(a.deadline, sizeof a.deadline, "2026-12-01T00:00:00Z");
    assert_int_equal(sc_store_assignment_insert(f->st, &a), SC_STORE_OK);
    assert_int_equal(sc_store_assignment_get(f->st, a.id, &got),
                     SC_STORE_OK);
    assert_string_equal(got.title, "Week 1");
    assert_string_equal(got.deadline, "2026-12-01T00:00:00Z");
    assert_string_equal(got.spec, a.spec);
    free(got.spec);
    assert_int_equal(sc_store_assignment_get(f->st, "as_nothing", &got),
                     SC_STORE_NOTFOUND);

    sc_player s = new_player(f->st, "stu");
    sc_challenge_row ch;
    make_challenge(f, s.id, false, a.id, 3, &ch);
    assert_int_equal(sc_store_round_answer(f->st, ch.id, 1, 1, 0, 0),
                     SC_STORE_OK);
    sc_class_result *x;
    size_t nx;
    assert_int_equal(sc_store_class_results(f->st, c.id, &x, &nx),
                     SC_STORE_OK);
    assert_int_equal(nx, 1);
    assert_int_equal(x[0].answered, 1);
    assert_int_equal(x[0].challenge.rounds, 3);
    sc_class_results_free(x, nx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(an_answer_is_final, setup, teardown),
        cmocka_unit_test_setup_teardown(once_across_handles, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(finish_is_once_and_closes_rounds,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            finish_refuses_a_round_answered_since_read, setup, teardown),
        cmocka_unit_test_setup_teardown(
            standing_reads_a_boards_finished_public_by_owner, setup, teardown),
        cmocka_unit_test_setup_teardown(
            a_limited_insert_counts_public_attempts, setup, teardown),
        cmocka_unit_test_setup_teardown(seasons_insert_get_and_list, setup,
                                        teardown),
        cmocka_unit_test(migrations_carry_old_games_over),
        cmocka_unit_test_setup_teardown(a_list_is_the_owners_newest_first,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(classes_enrol_assign_and_report,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(classes_listed_with_codes_replaced,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            assignments_keep_title_deadline_and_progress, setup, teardown),
    };
    return sc_test_run_groups("store_games", tests,
                              sizeof tests / sizeof tests[0]);
}
