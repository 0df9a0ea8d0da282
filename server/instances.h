/*
 * Instances: creation, rendering, reveal, and the cache of constructed
 * distributions.  Used by the instance handlers and by the games, whose
 * challenge rounds are instances too (owner = challenger, challenge id,
 * round index, and for distinguish rounds the challenge's seq, whose key
 * derives the coin).
 *
 * A null round carries the planted family's name and public
 * parameters (so it looks the same from outside) but serves N(0, I) of
 * the same dimension; its commitment binds the secret of what it serves,
 * the empty secret.
 *
 * Ownership: sc_instance_row values are the caller's (free with
 * sc_store_instance_row_free); json_t results are new references;
 * sc_instance_served hands out a counted reference to a cached, immutable
 * sc_served that the caller gives back with sc_instance_served_release.
 * Every failure fills the sc_problem and answers -1; success answers 0.
 */
#ifndef SC_INSTANCES_H
#define SC_INSTANCES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/sc_core.h"
#include "../proto/sc_problem.h"
#include "store.h"

typedef struct sc_server sc_server;

typedef struct sc_oracle_cfg {
    double t_min; /* oracles answer only for t >= t_min */
    double noise; /* rms L2 error added to every score answer */
} sc_oracle_cfg;

/* What a new instance is; params are validated (defaults filled) by
 * sc_instance_create, so a decoded, unvalidated sc_params is fine. */
typedef struct sc_instance_spec {
    const sc_family *fam;
    sc_params params;           /* owned: release with sc_params_clear */
    uint64_t budget[SC_METERS]; /* SC_UNLIMITED for a meter without one */
    sc_oracle_cfg oracle;
} sc_instance_spec;

/* Decodes {"family", family parameters..., "budget"?, "oracle"?} (the
 * body of POST /v1/instances, and a challenge's "instance" member).
 * family_given NULL: the object must name its family; else that family
 * is used and a "family" member, if present, must match.  Call
 * sc_instance_spec_clear afterwards, also on failure. */
int sc_instance_spec_decode(const json_t *obj, const char *family_given,
                            sc_instance_spec *spec, sc_problem *pb);
void sc_instance_spec_clear(sc_instance_spec *spec);
/* The spec as JSON (family parameters, budget, oracle), e.g. for a
 * challenge's stored template; new reference. */
json_t *sc_instance_spec_json(const sc_instance_spec *spec);

/* Reserves a seq, derives the key, builds the distribution, computes the
 * commitment and inserts the row.  challenge NULL or "" and round -1 for
 * a plain instance.  row is filled on success. */
int sc_instance_create(sc_server *srv, const char *owner,
                       const sc_instance_spec *spec, const char *challenge,
                       int round, int64_t coin_seq, sc_instance_row *row,
                       sc_problem *pb);

/* Whether row is a null round: its coin (sc_game_coin of the challenge
 * key of row->coin_seq, round row->round) came up null.  Derived from
 * the master key at every use, never stored. */
bool sc_instance_serves_null(sc_server *srv, const sc_instance_row *row);

/* Loads a row; 404 not-found when unknown.  With caller non-NULL, 403
 * unless the caller owns it or is an admin. */
int sc_instance_load(sc_server *srv, const char *id, const sc_player *caller,
                     sc_instance_row *row, sc_problem *pb);

/* The family and validated parameters (defaults filled) of a row, as
 * the planted family sees them; clear p afterwards. */
int sc_instance_row_params(const sc_instance_row *row,
                           const sc_family **fam, sc_params *p,
                           sc_problem *pb);

/* The public view of GET /v1/instances/{id}. */
json_t *sc_instance_json(const sc_instance_row *row);
/* {"secret", "salt", "commitment"}: the reveal, whether or not the row
 * is marked revealed (the caller decides when it may be shown). */
json_t *sc_instance_reveal_json(sc_server *srv, const sc_instance_row *row,
                                sc_problem *pb);

/* The oracle configuration of a row (parsed from row->oracle). */
int sc_instance_oracle(const sc_instance_row *row, sc_oracle_cfg *out,
                       sc_problem *pb);

/* What a row serves: the distribution and the keys its oracles use,
 * with the row's fixed part.  Immutable; any number of threads may use it
 * at once. */
typedef struct sc_served {
    const sc_dist *dist;
    uint8_t noise_key[SC_KEY_BYTES]; /* oracle.noise (sc_oracle_noise) */
    /* Everything of the row that never changes; used[] and revealed are
     * not kept here (they change: read them with sc_instance_load). */
    const sc_instance_row *row;
    sc_oracle_cfg oracle;
} sc_served;

/* A counted reference to what a row serves, from the cache or built.
 * NULL (and a 500 problem) only on a real fault. */
const sc_served *sc_instance_served(sc_server *srv,
                                    const sc_instance_row *row,
                                    sc_problem *pb);
/* The same by id: from the cache without a store read when it holds the
 * instance.  404 not-found; with caller non-NULL, 403 unless the caller
 * owns it or is an admin. */
const sc_served *sc_instance_served_id(sc_server *srv, const char *id,
                                       const sc_player *caller,
                                       sc_problem *pb);
void sc_instance_served_release(sc_server *srv, const sc_served *s);

/* Oracle use of a meter without a limit is counted in memory and
 * written to the store about once a second (usage.c): it refuses
 * nothing, so it need not be durable before the answer.  sc_instance_load
 * adds what is pending to row->used. */
void sc_instance_count_unlimited(sc_server *srv, const char *id, int meter,
                                 uint64_t n);

#endif
