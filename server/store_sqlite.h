/*
 * The SQLite backend's internals, shared by the files that implement
 * store.h (store_players.c, store_instances.c, and the games' tables):
 * a connection pool, a per-connection cache of prepared statements, and
 * the schema migrations.  Nothing outside server/store_*.c includes this.
 *
 * Threads: a connection belongs to the thread that acquired it until it
 * releases it, so no sqlite3 handle is ever shared.  A thread holds at
 * most one connection at a time (the pool is bounded; a second acquire
 * could wait forever).  Writers also take the process's writer lock, so
 * in-process writers queue on a mutex instead of polling SQLite's busy
 * handler; busy_timeout still covers other processes.
 *
 * Errors: functions answer SC_STORE_* codes; sc_store_fail logs SQLite's
 * message (never a bound value: no secret reaches the log).
 */
#ifndef SC_STORE_SQLITE_H
#define SC_STORE_SQLITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "server/store.h"
#include "server/store_games.h"

/* The schema, one migration per element, applied in order, each in its
 * own transaction (store_schema.c).  Append; never edit a shipped one. */
extern const char *const sc_store_migrations[];
extern const size_t sc_store_nmigrations;

typedef struct sc_store_conn sc_store_conn;

/* A connection for this thread alone; write also takes the writer lock.
 * NULL when no connection can be opened (logged). */
sc_store_conn *sc_store_acquire(sc_store *st, bool write);
/* Resets the connection's statements (ending any read transaction) and
 * gives it back, dropping the writer lock if it was taken. */
void sc_store_release(sc_store *st, sc_store_conn *c);

sqlite3 *sc_store_db(sc_store_conn *c);
/* The prepared statement for sql, reset and unbound.  sql must be a
 * string that lives as long as the program (statements are cached by
 * its address).  NULL on error (logged). */
sqlite3_stmt *sc_store_stmt(sc_store_conn *c, const char *sql);
/* Logs "what" with SQLite's message; answers SC_STORE_IO. */
int sc_store_fail(sc_store_conn *c, const char *what);

/* Finishes a write statement whose first sqlite3_step answered rc (the
 * caller reads a RETURNING row before): steps it to completion, which
 * commits in autocommit mode, and maps the outcome.  SC_STORE_CONFLICT on
 * a unique or check constraint, SC_STORE_NOTFOUND on a foreign key,
 * SC_STORE_IO (logged) otherwise. */
int sc_store_done(sc_store_conn *c, sqlite3_stmt *s, int rc,
                  const char *what);

/*
 * Group commit: runs op(c, arg) inside a write transaction shared with
 * the ops other threads submit meanwhile, so one sync makes a whole batch
 * durable; answers only after that commit.  Each op runs in its own
 * savepoint: an op answering anything but SC_STORE_OK leaves no change.
 * Its answer is the call's, unless the commit fails (SC_STORE_IO).  An op
 * must not acquire a connection, and may run on another thread than the
 * caller's (the caller waits).
 */
typedef int (*sc_store_op)(sc_store_conn *c, void *arg);
int sc_store_grouped(sc_store *st, sc_store_op op, void *arg);


/*
 * The start-up check (store_check.c), run by sc_store_open before it
 * writes anything: a zero-length database with other state beside it
 * (master.key, admin.token, a WAL) is refused, and an existing one must
 * pass PRAGMA quick_check and hold the schema when a server ran here.
 * SC_STORE_OK, or SC_STORE_IO with a sentence in err saying what to
 * restore.  A missing file passes: a fresh install.
 */
int sc_store_check(const char *path, char *err, size_t errlen);

/* "" -> NULL and back, for optional text columns. */
void sc_store_bind_text_or_null(sqlite3_stmt *s, int col, const char *v);
/* Copies a text column into a fixed buffer ("" for NULL). */
void sc_store_column_text(sqlite3_stmt *s, int col, char *out, size_t cap);

/* The backend's entries (store_backend.h), by file: store_players.c,
 * store_instances.c, store_games.c, store_classes.c. */
int sc_sqlite_holds_data(sc_store *st, bool *yes);
int sc_sqlite_key_fingerprint(sc_store *st, const uint8_t fp[32],
                              bool *match);
int sc_sqlite_player_create(sc_store *st, const char *name, sc_role role,
                            const uint8_t token_hash[32], sc_player *out);
int sc_sqlite_player_upsert(sc_store *st, const char *name, sc_role role,
                            const uint8_t token_hash[32], sc_player *out);
int sc_sqlite_player_by_token(sc_store *st, const uint8_t token_hash[32],
                              sc_player *out);
int sc_sqlite_player_get(sc_store *st, const char *id, sc_player *out);
int sc_sqlite_next_seq(sc_store *st, int64_t *seq);
int sc_sqlite_instance_insert(sc_store *st, const sc_instance_row *row);
int sc_sqlite_instance_get(sc_store *st, const char *id,
                           sc_instance_row *out);
int sc_sqlite_spend(sc_store *st, const char *instance_id, int meter,
                    uint64_t n, uint64_t *before);
int sc_sqlite_instance_reveal(sc_store *st, const char *instance_id);
int sc_sqlite_challenge_insert(sc_store *st, const sc_challenge_row *c,
                               const sc_round_row *rounds, size_t n);
int sc_sqlite_challenge_get(sc_store *st, const char *id,
                            sc_challenge_row *out);
int sc_sqlite_challenge_rounds(sc_store *st, const char *id,
                               sc_round_row **out, size_t *n);
int sc_sqlite_round_get(sc_store *st, const char *id, unsigned index,
                        sc_round_row *out);
int sc_sqlite_challenge_list(sc_store *st, const char *owner,
                             sc_challenge_row **out, size_t *n);
int sc_sqlite_round_answer(sc_store *st, const char *id, unsigned index,
                           double value, double gauss, uint64_t points);
int sc_sqlite_challenge_finish(sc_store *st, const sc_challenge_row *c,
                               const sc_round_row *rounds, size_t n);
int sc_sqlite_class_insert(sc_store *st, const sc_class_row *c,
                           const uint8_t code_hash[32]);
int sc_sqlite_class_get(sc_store *st, const char *id, sc_class_row *out);
int sc_sqlite_class_by_code(sc_store *st, const uint8_t code_hash[32],
                            sc_class_row *out);
int sc_sqlite_class_enroll(sc_store *st, const char *class_id,
                           const char *player_id);
int sc_sqlite_class_students(sc_store *st, const char *class_id,
                             sc_player **out, size_t *n);
int sc_sqlite_assignment_insert(sc_store *st, const sc_assignment_row *a);
int sc_sqlite_assignments(sc_store *st, const char *class_id,
                          sc_assignment_row **out, size_t *n);
int sc_sqlite_attempts(sc_store *st, const char *owner, const char *kind,
                       const char *board, const char *season,
                       const char *since, unsigned *count, char oldest[32]);
int sc_sqlite_standing(sc_store *st, const char *kind, const char *board,
                       const char *season, const char *until, size_t limit,
                       sc_challenge_row **out, size_t *n);
int sc_sqlite_boards(sc_store *st, const char *kind, const char *season,
                     const char *board, size_t limit, sc_board_key **out,
                     size_t *n);
int sc_sqlite_season_insert(sc_store *st, const sc_season_row *s);
int sc_sqlite_season_get(sc_store *st, const char *id, sc_season_row *out);
int sc_sqlite_season_list(sc_store *st, sc_season_row **out, size_t *n);
int sc_sqlite_classes_of(sc_store *st, const char *owner,
                         sc_class_row **out, size_t *n);
int sc_sqlite_class_set_code(sc_store *st, const char *id, int64_t code_gen,
                             const uint8_t code_hash[32]);
int sc_sqlite_assignment_get(sc_store *st, const char *id,
                             sc_assignment_row *out);
int sc_sqlite_class_results(sc_store *st, const char *class_id,
                            sc_class_result **out, size_t *n);

#endif
