/*
 * Boards and standings (issue 8).  A public challenge plays on a board:
 * its kind and its preset, or for custom parameters a key hashed from
 * its template, eval points and tolerance, so that custom games are
 * ranked only beside the same game and never beside a preset.  Open
 * boards take every public challenge; a season's boards only those
 * played in it.
 *
 * The standing rule, the same for every player: a player has one
 * standing per board, pooled from all their finished public attempts on
 * it (in the season, or ever on an open board) as if they were one
 * challenge with all their rounds.  Retrying then only adds rounds: a
 * lucky run is averaged with the unlucky ones.  Attempts are bounded:
 * SC_BOARD_ATTEMPTS public challenges per player per board in any
 * SC_BOARD_WINDOW_S seconds on open boards, a season's own limit over
 * the season; beyond it creation answers 429 with Retry-After.
 * Standings are ordered by the kind's ranking keys (kinds.h) of the
 * pooled result, then by the earlier last attempt, then player id.
 *
 * Error convention of challenges.h.  json_t results are new references.
 */
#ifndef SC_BOARDS_H
#define SC_BOARDS_H

#include <jansson.h>

#include "challenges.h"

#define SC_BOARD_ATTEMPTS 20u
#define SC_BOARD_WINDOW_S 86400u
/* Attempts read for one board's standings. */
#define SC_BOARD_MAX_ATTEMPTS 100000u

/* c->board: the preset's name when the game is the preset as it is
 * (its eval points and tolerance the defaults: rounds may differ, since
 * standings pool rounds), else "custom-" and 32 hex digits of
 * BLAKE2b-128 of "scoracle-board-v1", the template text (c->spec), the
 * eval points and the tolerance: a preset with a looser tolerance or
 * fewer eval points is another game, never ranked beside the preset. */
void sc_board_name(const sc_challenge_spec *spec, sc_challenge_row *c);
/* Whether spec plays its preset with the default eval points and
 * tolerance (false without a preset). */
bool sc_board_preset_as_is(const sc_challenge_spec *spec);

/* The attempt rule of a public challenge c on its board (season NULL for
 * an open board): fills c->attempt_limit and c->attempts_since for the
 * store's atomic check, and answers 429 with Retry-After when the owner
 * has no attempt left already.  Private challenges pass. */
int sc_board_admit(sc_server *srv, sc_challenge_row *c,
                   const sc_season_row *season, sc_problem *pb);
/* The 429 of c's insert the store refused (SC_STORE_BUDGET): a
 * concurrent attempt took the last one after sc_board_admit. */
int sc_board_refused(const sc_challenge_row *c, sc_problem *pb);

/* {"kind", "preset", "board", "season", "rule", "rows"}: the standings
 * of one board, at most limit rows; season "" and until "" for an open
 * board, else the season's id and end (attempts finished later do not
 * count: the standings froze). */
json_t *sc_board_json(sc_server *srv, const char *kind, const char *board,
                      const char *season, const char *until, size_t limit,
                      sc_problem *pb);

/* RFC 3339 UTC ("...Z") to seconds since the epoch; -1 when malformed. */
long long sc_board_time(const char *rfc3339);

#endif
