/*
 * A store backend: the table of functions that implements store.h and
 * store_games.h, chosen once when the store opens (store.c).  Callers
 * never learn which backend runs; every backend passes the one
 * conformance suite (tests/unit/test_store*.c run against each).
 *
 * A backend's handle begins with an sc_store (its first member), so the
 * sc_store * handed to callers is the backend's own handle; each entry
 * gets it back and converts it.  The entries have the contracts of the
 * public functions of the same names.  Nothing outside server/store*.c
 * includes this.
 */
#ifndef SC_STORE_BACKEND_H
#define SC_STORE_BACKEND_H

#include "server/store.h"
#include "server/store_games.h"

typedef struct sc_store_ops {
    const char *name; /* "sqlite", "postgresql": /metrics, /readyz */
    void (*close)(sc_store *st);
    int (*schema_version)(sc_store *st);
    int (*ping)(sc_store *st);
    uint64_t (*retries)(sc_store *st);
    int (*holds_data)(sc_store *st, bool *yes);
    int (*key_fingerprint)(sc_store *st, const uint8_t fp[32], bool *match);

    int (*player_create)(sc_store *st, const char *name, sc_role role,
                         const uint8_t token_hash[32], sc_player *out);
    int (*player_upsert)(sc_store *st, const char *name, sc_role role,
                         const uint8_t token_hash[32], sc_player *out);
    int (*player_by_token)(sc_store *st, const uint8_t token_hash[32],
                           sc_player *out);
    int (*player_get)(sc_store *st, const char *id, sc_player *out);

    int (*next_seq)(sc_store *st, int64_t *seq);
    int (*instance_insert)(sc_store *st, const sc_instance_row *row);
    int (*instance_get)(sc_store *st, const char *id, sc_instance_row *out);
    int (*spend)(sc_store *st, const char *instance_id, int meter,
                 uint64_t n, uint64_t *before);
    int (*instance_reveal)(sc_store *st, const char *instance_id);

    int (*challenge_insert)(sc_store *st, const sc_challenge_row *c,
                            const sc_round_row *rounds, size_t n);
    int (*challenge_get)(sc_store *st, const char *id,
                         sc_challenge_row *out);
    int (*challenge_rounds)(sc_store *st, const char *id,
                            sc_round_row **out, size_t *n);
    int (*round_get)(sc_store *st, const char *id, unsigned index,
                     sc_round_row *out);
    int (*challenge_list)(sc_store *st, const char *owner,
                          sc_challenge_row **out, size_t *n);
    int (*round_answer)(sc_store *st, const char *id, unsigned index,
                        double value, double gauss, uint64_t points);
    int (*challenge_finish)(sc_store *st, const sc_challenge_row *c,
                            const sc_round_row *rounds, size_t n);
    int (*attempts)(sc_store *st, const char *owner, const char *kind,
                    const char *board, const char *season, const char *since,
                    unsigned *count, char oldest[32]);
    int (*standing)(sc_store *st, const char *kind, const char *board,
                    const char *season, const char *until, size_t limit,
                    sc_challenge_row **out, size_t *n);
    int (*boards)(sc_store *st, const char *kind, const char *season,
                  const char *board, size_t limit, sc_board_key **out,
                  size_t *n);
    int (*season_insert)(sc_store *st, const sc_season_row *s);
    int (*season_get)(sc_store *st, const char *id, sc_season_row *out);
    int (*season_list)(sc_store *st, sc_season_row **out, size_t *n);

    int (*class_insert)(sc_store *st, const sc_class_row *c,
                        const uint8_t code_hash[32]);
    int (*class_get)(sc_store *st, const char *id, sc_class_row *out);
    int (*class_by_code)(sc_store *st, const uint8_t code_hash[32],
                         sc_class_row *out);
    int (*class_enroll)(sc_store *st, const char *class_id,
                        const char *player_id);
    int (*class_students)(sc_store *st, const char *class_id,
                          sc_player **out, size_t *n);
    int (*assignment_insert)(sc_store *st, const sc_assignment_row *a);
    int (*assignments)(sc_store *st, const char *class_id,
                       sc_assignment_row **out, size_t *n);
    int (*classes_of)(sc_store *st, const char *owner, sc_class_row **out,
                      size_t *n);
    int (*class_set_code)(sc_store *st, const char *id, int64_t code_gen,
                          const uint8_t code_hash[32]);
    int (*assignment_get)(sc_store *st, const char *id,
                          sc_assignment_row *out);
    int (*class_results)(sc_store *st, const char *class_id,
                         sc_class_result **out, size_t *n);
} sc_store_ops;

struct sc_store {
    const sc_store_ops *ops;
};

/* The backends' openers (store_sqlite.c, store_pg.c): where is a
 * database file path, or a libpq connection URI. */
int sc_sqlite_open(const char *path, sc_store **out, char *err,
                   size_t errlen);
int sc_pg_open(const char *uri, sc_store **out, char *err, size_t errlen);

#endif
