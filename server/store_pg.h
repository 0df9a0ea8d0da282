/*
 * The PostgreSQL backend's internals, shared by store_pg*.c: a pool of
 * libpq connections, statements prepared once per connection, parameter
 * lists, and transactions that run again after a serialization failure.
 * Nothing outside server/store_pg*.c includes this.
 *
 * Consistency across replicas: every budget spend is one conditional
 * UPDATE committed before it answers (READ COMMITTED re-checks the
 * condition against the newest row, so concurrent spends on any replica
 * never overrun); a replica coalesces the spends of one meter that
 * arrive together into one such UPDATE (store_pg_spend.c).  Writes
 * that must see several rows at once (answer a round once, finish once,
 * insert a challenge with its rounds or under an attempt limit, enrol)
 * run in SERIALIZABLE transactions retried on SQLSTATE 40001 and 40P01.
 *
 * Threads: a connection belongs to the thread that acquired it until it
 * releases it; a thread holds at most one.  Errors: SC_STORE_* codes;
 * failures are logged with the server's message, never a bound value.
 */
#ifndef SC_STORE_PG_H
#define SC_STORE_PG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "server/store_backend.h"

/* An answer inside the backend only: the transaction must run again. */
#define SC_PG_RETRY (-100)

/* The schema, one migration per element, applied in order
 * (store_pg_schema.c).  Append; never edit a shipped one. */
extern const char *const sc_pg_migrations[];
extern const size_t sc_pg_nmigrations;

typedef struct sc_pg_conn sc_pg_conn;

/* Bound values of one statement, in text format except blobs.  Values
 * are copied in, so the list may outlive what it was given. */
#define SC_PG_MAX_PARAMS 24
typedef struct sc_pg_params {
    int n;
    const char *v[SC_PG_MAX_PARAMS];
    int len[SC_PG_MAX_PARAMS];
    int fmt[SC_PG_MAX_PARAMS];
    char buf[SC_PG_MAX_PARAMS][40];
} sc_pg_params;

/* NULL or "" binds SQL NULL in sc_pg_text_or_null; sc_pg_text binds the
 * string itself, which must outlive the statement. */
void sc_pg_text(sc_pg_params *p, const char *s);
void sc_pg_text_or_null(sc_pg_params *p, const char *s);
void sc_pg_i64(sc_pg_params *p, int64_t v);
/* NaN binds NULL, as SQLite stores it. */
void sc_pg_f64(sc_pg_params *p, double v);
void sc_pg_blob(sc_pg_params *p, const void *b, int len);
void sc_pg_null(sc_pg_params *p);

/* A connection for this thread alone; NULL when none can be opened. */
sc_pg_conn *sc_pg_acquire(sc_store *st);
void sc_pg_release(sc_store *st, sc_pg_conn *c);

/*
 * Runs the prepared statement for sql (a string that lives as long as
 * the program: statements are cached by its address).  On success *res
 * holds the result (PQclear it) and the answer is SC_STORE_OK; otherwise
 * *res is NULL and the answer maps the SQLSTATE: unique and check
 * violations SC_STORE_CONFLICT, foreign keys SC_STORE_NOTFOUND,
 * serialization failures and deadlocks SC_PG_RETRY, else SC_STORE_IO
 * (logged with what).
 */
int sc_pg_exec(sc_pg_conn *c, const char *sql, const sc_pg_params *p,
               PGresult **res, const char *what);
/* sc_pg_exec for a statement whose rows are not wanted; *changed (when
 * not NULL) gets the rows it changed. */
int sc_pg_run(sc_pg_conn *c, const char *sql, const sc_pg_params *p,
              int *changed, const char *what);

/* Runs fn(c, arg) in a SERIALIZABLE transaction, again (a bounded number
 * of times, after a short random pause) while it or its commit answers
 * SC_PG_RETRY; commits when fn answers SC_STORE_OK, else rolls back and
 * answers fn's code.  fn must not acquire a connection. */
typedef int (*sc_pg_op)(sc_pg_conn *c, void *arg);
int sc_pg_tx(sc_store *st, sc_pg_op fn, void *arg);
/* fn(c, arg) on a connection of the pool in autocommit mode: each
 * statement commits on its own. */
int sc_pg_with(sc_store *st, sc_pg_op fn, void *arg);

/* A read of rows: sql with p, each row read into an array of elem-sized
 * rows (malloc'ed into *(void **)out; NULL when none), *n set when n is
 * not NULL.  With one, exactly one row is wanted, read into out itself
 * (SC_STORE_NOTFOUND when there is none). */
typedef struct sc_pg_reader {
    const char *sql;
    sc_pg_params p;
    size_t elem;
    void (*read)(const PGresult *res, int r, void *row);
    bool one;
    void *out;
    size_t n;
} sc_pg_reader;
int sc_pg_read(sc_store *st, sc_pg_reader *rd, size_t *n);

/* Result readers for row r, column col (text format). */
bool sc_pg_isnull(const PGresult *res, int r, int col);
int64_t sc_pg_get_i64(const PGresult *res, int r, int col);
double sc_pg_get_f64(const PGresult *res, int r, int col);
bool sc_pg_get_bool(const PGresult *res, int r, int col);
/* Copies into a fixed buffer ("" for NULL). */
void sc_pg_get_text(const PGresult *res, int r, int col, char *out,
                    size_t cap);
/* malloc'ed copy, NULL for NULL. */
char *sc_pg_get_dup(const PGresult *res, int r, int col);
/* A bytea column into out; -1 unless it holds exactly len bytes. */
int sc_pg_get_blob(const PGresult *res, int r, int col, uint8_t *out,
                   size_t len);

/* The backend's entries (store_backend.h), by file: store_pg_players.c
 * (players, instances, budgets), store_pg_check.c (start checks),
 * store_pg_games.c (challenges, rounds),
 * store_pg_classes.c (classes, assignments). */
int sc_pg_holds_data(sc_store *st, bool *yes);
int sc_pg_key_fingerprint(sc_store *st, const uint8_t fp[32], bool *match);
int sc_pg_player_create(sc_store *st, const char *name, sc_role role,
                        const uint8_t token_hash[32], sc_player *out);
int sc_pg_player_upsert(sc_store *st, const char *name, sc_role role,
                        const uint8_t token_hash[32], sc_player *out);
int sc_pg_player_by_token(sc_store *st, const uint8_t token_hash[32],
                          sc_player *out);
int sc_pg_player_get(sc_store *st, const char *id, sc_player *out);
int sc_pg_next_seq(sc_store *st, int64_t *seq);
int sc_pg_instance_insert(sc_store *st, const sc_instance_row *row);
int sc_pg_instance_get(sc_store *st, const char *id, sc_instance_row *out);
/* sc_pg_spend coalesces concurrent spends of one meter
 * (store_pg_spend.c) and runs each batch with sc_pg_spend_one, the one
 * conditional statement (store_pg_players.c). */
int sc_pg_spend(sc_store *st, const char *instance_id, int meter,
                uint64_t n, uint64_t *before);
int sc_pg_spend_one(sc_store *st, const char *instance_id, int meter,
                    uint64_t n, uint64_t *before);
typedef struct sc_pg_spends sc_pg_spends;
sc_pg_spends *sc_pg_spends_new(void);
void sc_pg_spends_free(sc_pg_spends *s);
/* The store's batches of spends in flight. */
sc_pg_spends *sc_pg_spends_of(sc_store *st);
int sc_pg_instance_reveal(sc_store *st, const char *instance_id);
int sc_pg_challenge_insert(sc_store *st, const sc_challenge_row *c,
                           const sc_round_row *rounds, size_t n);
int sc_pg_challenge_get(sc_store *st, const char *id,
                        sc_challenge_row *out);
int sc_pg_challenge_rounds(sc_store *st, const char *id, sc_round_row **out,
                           size_t *n);
int sc_pg_round_get(sc_store *st, const char *id, unsigned index,
                    sc_round_row *out);
int sc_pg_challenge_list(sc_store *st, const char *owner,
                         sc_challenge_row **out, size_t *n);
int sc_pg_round_answer(sc_store *st, const char *id, unsigned index,
                       double value, double gauss, uint64_t points);
int sc_pg_challenge_finish(sc_store *st, const sc_challenge_row *c,
                           const sc_round_row *rounds, size_t n);
int sc_pg_attempts(sc_store *st, const char *owner, const char *kind,
                   const char *board, const char *season, const char *since,
                   unsigned *count, char oldest[32]);
int sc_pg_standing(sc_store *st, const char *kind, const char *board,
                   const char *season, const char *until, size_t limit,
                   sc_challenge_row **out, size_t *n);
int sc_pg_boards(sc_store *st, const char *kind, const char *season,
                 const char *board, size_t limit, sc_board_key **out,
                 size_t *n);
int sc_pg_season_insert(sc_store *st, const sc_season_row *s);
int sc_pg_season_get(sc_store *st, const char *id, sc_season_row *out);
int sc_pg_season_list(sc_store *st, sc_season_row **out, size_t *n);
int sc_pg_classes_of(sc_store *st, const char *owner, sc_class_row **out,
                     size_t *n);
int sc_pg_class_set_code(sc_store *st, const char *id, int64_t code_gen,
                         const uint8_t code_hash[32]);
int sc_pg_assignment_get(sc_store *st, const char *id,
                         sc_assignment_row *out);
int sc_pg_class_insert(sc_store *st, const sc_class_row *c,
                       const uint8_t code_hash[32]);
int sc_pg_class_get(sc_store *st, const char *id, sc_class_row *out);
int sc_pg_class_by_code(sc_store *st, const uint8_t code_hash[32],
                        sc_class_row *out);
int sc_pg_class_enroll(sc_store *st, const char *class_id,
                       const char *player_id);
int sc_pg_class_students(sc_store *st, const char *class_id,
                         sc_player **out, size_t *n);
int sc_pg_assignment_insert(sc_store *st, const sc_assignment_row *a);
int sc_pg_assignments(sc_store *st, const char *class_id,
                      sc_assignment_row **out, size_t *n);
int sc_pg_class_results(sc_store *st, const char *class_id,
                        sc_class_result **out, size_t *n);

#endif
