/*
 * The games' part of the store (challenges, their rounds, classes and
 * assignments), beside store.h and with its conventions: SC_STORE_OK or
 * a negative SC_STORE_* code; durable when it answers OK.
 *
 * Ownership: row structs are caller-owned values; their char * members
 * (JSON text) are malloc'ed by the store and freed with the matching
 * *_free.  Arrays of rows handed out (*_list) are malloc'ed and released
 * with the matching *_list_free.  Thread-safe like the store.
 */
#ifndef SC_STORE_GAMES_H
#define SC_STORE_GAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef struct sc_challenge_row {
    int64_t seq;               /* the KDF id of the challenge key */
    char id[SC_ID_LEN];
    char owner[SC_ID_LEN];
    char kind[16];
    char preset[32];           /* "" for custom parameters */
    char *spec;                /* the round template, JSON text */
    unsigned rounds;
    unsigned eval;             /* eval points per round (score, density) */
    double tolerance;          /* density */
    bool public_;              /* listed on the leaderboard once finished */
    char commitment[65];
    bool finished;
    char created_at[32];
    char finished_at[32];      /* "" while open */
    char assignment[SC_ID_LEN]; /* "" unless made for a class */
    char *result;              /* JSON text, NULL while open */
    char *reveal;              /* JSON text, NULL while open */
    char *receipt;             /* {"payload", "signature"}, NULL while open */
    double rank[2];            /* leaderboard order: ascending, both keys */
    char board[48];            /* the preset, or "custom-" + 32 hex */
    char season[SC_ID_LEN];    /* "" unless played in a season */
    /* Insert only: with attempt_limit > 0, a public challenge goes in
     * only while its owner has fewer than attempt_limit public ones of
     * its kind on its board and season created at or after
     * attempts_since (RFC 3339); else SC_STORE_BUDGET, nothing stored. */
    unsigned attempt_limit;
    char attempts_since[32];
} sc_challenge_row;

/* A board's key (sc_challenge_row.board). */
typedef struct sc_board_key {
    char key[48];
} sc_board_key;

/* What a round's answer scored (sc_round_outcome of core/sc_game.h),
 * kept hidden until the challenge finishes. */
typedef struct sc_round_row {
    unsigned index;
    char instance[SC_ID_LEN];
    char *public_;   /* extra public members (posterior: y), JSON or NULL */
    bool answered;
    double value, gauss;
    uint64_t points;
} sc_round_row;

void sc_challenge_row_free(sc_challenge_row *c);
void sc_round_rows_free(sc_round_row *r, size_t n);
void sc_challenge_list_free(sc_challenge_row *c, size_t n);

/* Inserts the challenge and its n rounds in one transaction. */
int sc_store_challenge_insert(sc_store *st, const sc_challenge_row *c,
                              const sc_round_row *rounds, size_t n);
int sc_store_challenge_get(sc_store *st, const char *id,
                           sc_challenge_row *out);
/* The rounds by index (malloc'ed array of c.rounds rows). */
int sc_store_challenge_rounds(sc_store *st, const char *id,
                              sc_round_row **out, size_t *n);
/* One round. */
int sc_store_round_get(sc_store *st, const char *id, unsigned index,
                       sc_round_row *out);
/* The owner's challenges, newest first. */
int sc_store_challenge_list(sc_store *st, const char *owner,
                            sc_challenge_row **out, size_t *n);

/* Records a round's outcome once: SC_STORE_CONFLICT when the round was
 * answered already or the challenge finished; SC_STORE_NOTFOUND when
 * there is no such round. */
int sc_store_round_answer(sc_store *st, const char *id, unsigned index,
                          double value, double gauss, uint64_t points);

/* Finishes an open challenge: stores finished_at, result, reveal,
 * receipt and rank (from c), and the outcomes of unanswered rounds
 * (rounds[i] with answered false but value, gauss, points set), and
 * marks every round instance revealed.  SC_STORE_CONFLICT, changing
 * nothing, when it is finished already or a round given as unanswered
 * has been answered since. */
int sc_store_challenge_finish(sc_store *st, const sc_challenge_row *c,
                              const sc_round_row *rounds, size_t n);

/* Attempts: the owner's public challenges of a kind on a board and
 * season ("" for none) created at or after since; *oldest the earliest
 * one's created_at ("" when none). */
int sc_store_attempts(sc_store *st, const char *owner, const char *kind,
                      const char *board, const char *season,
                      const char *since, unsigned *count, char oldest[32]);

/* The finished public challenges of a kind on a board and season ("" for
 * none) finished before until (RFC 3339), ordered by owner then
 * finished_at, at most limit: what standings are pooled from. */
int sc_store_standing(sc_store *st, const char *kind, const char *board,
                      const char *season, const char *until, size_t limit,
                      sc_challenge_row **out, size_t *n);

/* The boards of a kind and season ("" for none) with finished public
 * challenges, by key, at most limit; only board when it is not NULL.
 * *out is malloc'ed (free it). */
int sc_store_boards(sc_store *st, const char *kind, const char *season,
                    const char *board, size_t limit, sc_board_key **out,
                    size_t *n);

/* Seasons: fixed up front, their manifest signed at creation. */
typedef struct sc_season_row {
    char id[SC_ID_LEN];
    char name[64];
    char *presets;          /* JSON array of preset names */
    unsigned attempt_limit; /* public challenges per player per board */
    char starts_at[32];
    char ends_at[32];
    char *manifest;         /* {"payload", "signature"}, JSON text */
    char created_at[32];
} sc_season_row;

void sc_season_row_free(sc_season_row *s);
void sc_season_list_free(sc_season_row *s, size_t n);
/* SC_STORE_CONFLICT when the id or name is taken. */
int sc_store_season_insert(sc_store *st, const sc_season_row *s);
int sc_store_season_get(sc_store *st, const char *id, sc_season_row *out);
/* Every season, newest first (malloc'ed array). */
int sc_store_season_list(sc_store *st, sc_season_row **out, size_t *n);

/* Classes.  The join code is stored as a keyed hash only; code_gen
 * (-1: none) is the generation the code is derived from (classes.c). */
typedef struct sc_class_row {
    char id[SC_ID_LEN];
    char owner[SC_ID_LEN];
    char name[128];
    char created_at[32];
    int64_t code_gen;
    unsigned students, assignments; /* sc_store_classes_of only */
} sc_class_row;

int sc_store_class_insert(sc_store *st, const sc_class_row *c,
                          const uint8_t code_hash[32]);
int sc_store_class_get(sc_store *st, const char *id, sc_class_row *out);
/* The owner's classes, oldest first, with their counts (malloc'ed). */
int sc_store_classes_of(sc_store *st, const char *owner,
                        sc_class_row **out, size_t *n);
/* Replaces the join code: its generation and hash.  NOTFOUND when no
 * such class. */
int sc_store_class_set_code(sc_store *st, const char *id, int64_t code_gen,
                            const uint8_t code_hash[32]);
int sc_store_class_by_code(sc_store *st, const uint8_t code_hash[32],
                           sc_class_row *out);
int sc_store_class_enroll(sc_store *st, const char *class_id,
                          const char *player_id);
/* Enrolled players, by name (malloc'ed array). */
int sc_store_class_students(sc_store *st, const char *class_id,
                            sc_player **out, size_t *n);

typedef struct sc_assignment_row {
    char id[SC_ID_LEN];
    char class_id[SC_ID_LEN];
    char *spec;         /* the challenge request template, JSON text */
    char created_at[32];
    char title[128];    /* "" when none */
    char deadline[32];  /* RFC 3339 UTC, "" when none */
} sc_assignment_row;

int sc_store_assignment_insert(sc_store *st, const sc_assignment_row *a);
/* One assignment by id (spec malloc'ed: free it). */
int sc_store_assignment_get(sc_store *st, const char *id,
                            sc_assignment_row *out);
/* The class's assignments, oldest first (malloc'ed array). */
int sc_store_assignments(sc_store *st, const char *class_id,
                         sc_assignment_row **out, size_t *n);
void sc_assignment_list_free(sc_assignment_row *a, size_t n);

/* One line of a class's results: a student's challenge of an
 * assignment, with the student's name. */
typedef struct sc_class_result {
    char assignment[SC_ID_LEN];
    char player[SC_ID_LEN];
    char player_name[128];
    sc_challenge_row challenge;
    unsigned answered; /* rounds answered so far */
} sc_class_result;

int sc_store_class_results(sc_store *st, const char *class_id,
                           sc_class_result **out, size_t *n);
void sc_class_results_free(sc_class_result *r, size_t n);

#endif
