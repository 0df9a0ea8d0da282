/*
 * The store's front: sc_store_open picks a backend by the form of its
 * argument, and every other public function forwards to the backend's
 * table (store_backend.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "server/store_backend.h"

typedef struct scheme {
    const char *prefix;
    bool keep_prefix; /* hand the whole string to the opener */
    int (*open)(const char *where, sc_store **out, char *err,
                size_t errlen);
} scheme;

static const scheme schemes[] = {
    {"postgresql://", true, sc_pg_open},
    {"postgres://", true, sc_pg_open},
    {"sqlite:", false, sc_sqlite_open},
};
#define NSCHEMES (sizeof schemes / sizeof schemes[0])

/* A plain directory: the state folder, holding scoracle.db. */
static int open_dir(const char *dir, sc_store **out, char *err,
                    size_t errlen)
{
    char path[PATH_MAX];
    int n;

    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create state directory %s: %s", dir,
                 strerror(errno));
        return SC_STORE_IO;
    }
    n = snprintf(path, sizeof path, "%s/scoracle.db", dir);
    if (n < 0 || (size_t)n >= sizeof path) {
        snprintf(err, errlen, "state path %s is too long", dir);
        return SC_STORE_IO;
    }
    return sc_sqlite_open(path, out, err, errlen);
}

int sc_store_open(const char *where, sc_store **out, char *err,
                  size_t errlen)
{
    *out = NULL;
    for (size_t i = 0; i < NSCHEMES; i++) {
        size_t n = strlen(schemes[i].prefix);
        if (strncmp(where, schemes[i].prefix, n) == 0)
            return schemes[i].open(schemes[i].keep_prefix ? where
                                                          : where + n,
                                   out, err, errlen);
    }
    return open_dir(where, out, err, errlen);
}

void sc_store_close(sc_store *st)
{
    if (st != NULL)
        st->ops->close(st);
}

int sc_store_schema_version(sc_store *st)
{
    return st->ops->schema_version(st);
}

const char *sc_store_backend(const sc_store *st)
{
    return st->ops->name;
}

int sc_store_ping(sc_store *st)
{
    return st->ops->ping(st);
}

uint64_t sc_store_retries(sc_store *st)
{
    return st->ops->retries(st);
}

bool sc_store_shared(const sc_store *st)
{
    return strcmp(st->ops->name, "sqlite") != 0;
}

int sc_store_holds_data(sc_store *st, bool *yes)
{
    return st->ops->holds_data(st, yes);
}

int sc_store_key_fingerprint(sc_store *st, const uint8_t fp[32],
                             bool *match)
{
    return st->ops->key_fingerprint(st, fp, match);
}

int sc_store_player_create(sc_store *st, const char *name, sc_role role,
                           const uint8_t token_hash[32], sc_player *out)
{
    return st->ops->player_create(st, name, role, token_hash, out);
}

int sc_store_player_upsert(sc_store *st, const char *name, sc_role role,
                           const uint8_t token_hash[32], sc_player *out)
{
    return st->ops->player_upsert(st, name, role, token_hash, out);
}

int sc_store_player_by_token(sc_store *st, const uint8_t token_hash[32],
                             sc_player *out)
{
    return st->ops->player_by_token(st, token_hash, out);
}

int sc_store_player_get(sc_store *st, const char *id, sc_player *out)
{
    return st->ops->player_get(st, id, out);
}

int sc_store_next_seq(sc_store *st, int64_t *seq)
{
    return st->ops->next_seq(st, seq);
}

int sc_store_instance_insert(sc_store *st, const sc_instance_row *row)
{
    return st->ops->instance_insert(st, row);
}

int sc_store_instance_get(sc_store *st, const char *id,
                          sc_instance_row *out)
{
    return st->ops->instance_get(st, id, out);
}

int sc_store_spend(sc_store *st, const char *instance_id, int meter,
                   uint64_t n, uint64_t *before)
{
    if (meter < 0 || meter >= SC_METERS)
        return SC_STORE_IO;
    return st->ops->spend(st, instance_id, meter, n, before);
}

int sc_store_instance_reveal(sc_store *st, const char *instance_id)
{
    return st->ops->instance_reveal(st, instance_id);
}

int sc_store_challenge_insert(sc_store *st, const sc_challenge_row *c,
                              const sc_round_row *rounds, size_t n)
{
    return st->ops->challenge_insert(st, c, rounds, n);
}

int sc_store_challenge_get(sc_store *st, const char *id,
                           sc_challenge_row *out)
{
    return st->ops->challenge_get(st, id, out);
}

int sc_store_challenge_rounds(sc_store *st, const char *id,
                              sc_round_row **out, size_t *n)
{
    return st->ops->challenge_rounds(st, id, out, n);
}

int sc_store_round_get(sc_store *st, const char *id, unsigned index,
                       sc_round_row *out)
{
    return st->ops->round_get(st, id, index, out);
}

int sc_store_challenge_list(sc_store *st, const char *owner,
                            sc_challenge_row **out, size_t *n)
{
    return st->ops->challenge_list(st, owner, out, n);
}

int sc_store_round_answer(sc_store *st, const char *id, unsigned index,
                          double value, double gauss, uint64_t points)
{
    return st->ops->round_answer(st, id, index, value, gauss, points);
}

int sc_store_challenge_finish(sc_store *st, const sc_challenge_row *c,
                              const sc_round_row *rounds, size_t n)
{
    return st->ops->challenge_finish(st, c, rounds, n);
}

int sc_store_attempts(sc_store *st, const char *owner, const char *kind,
                      const char *board, const char *season,
                      const char *since, unsigned *count, char oldest[32])
{
    return st->ops->attempts(st, owner, kind, board, season, since, count,
                             oldest);
}

int sc_store_standing(sc_store *st, const char *kind, const char *board,
                      const char *season, const char *until, size_t limit,
                      sc_challenge_row **out, size_t *n)
{
    return st->ops->standing(st, kind, board, season, until, limit, out, n);
}

int sc_store_boards(sc_store *st, const char *kind, const char *season,
                    const char *board, size_t limit, sc_board_key **out,
                    size_t *n)
{
    return st->ops->boards(st, kind, season, board, limit, out, n);
}

int sc_store_season_insert(sc_store *st, const sc_season_row *s)
{
    return st->ops->season_insert(st, s);
}

int sc_store_season_get(sc_store *st, const char *id, sc_season_row *out)
{
    return st->ops->season_get(st, id, out);
}

int sc_store_season_list(sc_store *st, sc_season_row **out, size_t *n)
{
    return st->ops->season_list(st, out, n);
}

int sc_store_classes_of(sc_store *st, const char *owner,
                        sc_class_row **out, size_t *n)
{
    return st->ops->classes_of(st, owner, out, n);
}

int sc_store_class_set_code(sc_store *st, const char *id, int64_t code_gen,
                            const uint8_t code_hash[32])
{
    return st->ops->class_set_code(st, id, code_gen, code_hash);
}

int sc_store_assignment_get(sc_store *st, const char *id,
                            sc_assignment_row *out)
{
    return st->ops->assignment_get(st, id, out);
}

int sc_store_class_insert(sc_store *st, const sc_class_row *c,
                          const uint8_t code_hash[32])
{
    return st->ops->class_insert(st, c, code_hash);
}

int sc_store_class_get(sc_store *st, const char *id, sc_class_row *out)
{
    return st->ops->class_get(st, id, out);
}

int sc_store_class_by_code(sc_store *st, const uint8_t code_hash[32],
                           sc_class_row *out)
{
    return st->ops->class_by_code(st, code_hash, out);
}

int sc_store_class_enroll(sc_store *st, const char *class_id,
                          const char *player_id)
{
    return st->ops->class_enroll(st, class_id, player_id);
}

int sc_store_class_students(sc_store *st, const char *class_id,
                            sc_player **out, size_t *n)
{
    return st->ops->class_students(st, class_id, out, n);
}

int sc_store_assignment_insert(sc_store *st, const sc_assignment_row *a)
{
    return st->ops->assignment_insert(st, a);
}

int sc_store_assignments(sc_store *st, const char *class_id,
                         sc_assignment_row **out, size_t *n)
{
    return st->ops->assignments(st, class_id, out, n);
}

int sc_store_class_results(sc_store *st, const char *class_id,
                           sc_class_result **out, size_t *n)
{
    return st->ops->class_results(st, class_id, out, n);
}

/* --- roles, one table for every backend ---------------------------------- */

/* Indexed by sc_role; the database keeps the names, readable by hand. */
static const char *const role_names[SC_NROLES] = {"player", "instructor",
                                                  "admin"};

const char *sc_role_name(sc_role role)
{
    return role_names[role];
}

int sc_role_parse(const char *name, sc_role *role)
{
    for (size_t i = 0; i < SC_NROLES; i++) {
        if (strcmp(name, role_names[i]) == 0) {
            *role = (sc_role)i;
            return 0;
        }
    }
    return -1;
}
