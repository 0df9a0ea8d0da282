/*
 * The games on the server: what the challenge, leaderboard and class
 * handlers share.  A challenge is a kind (core/sc_game.h), a round
 * template (an instance spec), and one instance per round owned by the
 * challenger; its commitment binds every round's coin and instance
 * commitment (proto/API.md), its rounds' outcomes stay in the store
 * unseen until finish reveals everything and signs a receipt.
 *
 * Ownership: json_t results are new references; specs are released with
 * sc_challenge_spec_clear.  Every failure fills the sc_problem and
 * answers -1; success answers 0.
 */
#ifndef SC_CHALLENGES_H
#define SC_CHALLENGES_H

#include <jansson.h>
#include <stdbool.h>

#include "../core/sc_game.h"
#include "../proto/sc_problem.h"
#include "http.h"
#include "instances.h"
#include "kinds.h"
#include "store_games.h"

/* A decoded POST /v1/challenges body (also an assignment's template). */
typedef struct sc_challenge_spec {
    sc_game_kind kind;
    const sc_game_preset *preset; /* NULL for custom parameters */
    sc_instance_spec inst;        /* the round template */
    unsigned rounds;
    unsigned eval;                /* eval points per round; 0 if none */
    double tolerance;             /* density */
    bool public_;
    char season[SC_ID_LEN];       /* "" unless played in a season */
} sc_challenge_spec;

/* Decodes {"kind", "preset" | "instance", "rounds"?, "eval"?,
 * "tolerance"?, "public"?, "season"?}; public_default applies when "public" is
 * absent.  Call sc_challenge_spec_clear afterwards, also on failure. */
int sc_challenge_spec_decode(const json_t *obj, bool public_default,
                             sc_challenge_spec *spec, sc_problem *pb);
void sc_challenge_spec_clear(sc_challenge_spec *spec);

/* The round template of a stored challenge through its family: spec's
 * family and parameters (validated, defaults filled).  A 500 when the
 * stored text is unreadable.  Clear spec afterwards, also on failure. */
int sc_challenge_template(const sc_challenge_row *c, sc_instance_spec *spec,
                          sc_problem *pb);
/* The sizes c's answers are checked against: dim, eval points, and
 * what its kind adds (the seed bits and bytes of posterior). */
int sc_challenge_shape(const sc_challenge_row *c, sc_answer_shape *out,
                       sc_problem *pb);

/* Creates the challenge and its round instances for owner, stores it,
 * and answers its id in id_out.  assignment is "" or an as_ id.  A
 * public challenge is admitted to its board first (boards.h: 429 when
 * the owner has no attempt left), a season's to its season
 * (seasons.h). */
int sc_challenge_create(sc_server *srv, const char *owner,
                        const sc_challenge_spec *spec,
                        const char *assignment, char id_out[SC_ID_LEN],
                        sc_problem *pb);

/* Refuses (422) a spec whose rounds would rank nothing: the kind's vet
 * on a probe instance of the template (kinds.h).  Work: a few hundred
 * oracle points; run it off the HTTP threads. */
int sc_challenge_spec_vet(const sc_challenge_spec *spec, sc_problem *pb);

/* Whether preset p is offered as kind k: the kind plays on its family
 * and its vet passes on the preset with the default eval points and
 * tolerance.  Judged once per process, then remembered. */
bool sc_challenge_preset_fits(const sc_game_preset *p, sc_game_kind k);

/* Loads a challenge: 404 when unknown; 403 unless caller owns it (an
 * admin may read any when read_only). */
int sc_challenge_load(sc_server *srv, const char *id,
                      const sc_player *caller, bool read_only,
                      sc_challenge_row *out, sc_problem *pb);

/* Finishes an open challenge: outcomes of unanswered rounds, result,
 * reveal, receipt, stored at once.  *out is the finish body.  409 when
 * it finished already (a concurrent finish). */
int sc_challenge_finish(sc_server *srv, const sc_challenge_row *c,
                        json_t **out, sc_problem *pb);
/* {"result", "reveal", "receipt"} of a finished row. */
json_t *sc_challenge_finish_body(const sc_challenge_row *c);

/* Signs payload bytes: {"payload": base64, "signature": base64}. */
json_t *sc_receipt_sign(sc_server *srv, const char *payload, size_t len);
/* Standard padded base64 of the receipt public key (45 bytes with NUL). */
void sc_receipt_key_base64(sc_server *srv, char out[64]);

/* RFC 3339 UTC with seconds, now. */
void sc_games_now(char out[32]);
/* Parses a JSON text column into a new reference (NULL when absent or
 * unparsable). */
json_t *sc_games_json_load(const char *text);

#endif
