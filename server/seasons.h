/*
 * Seasons (issue 8): an admin fixes, up front, the presets of a season
 * (their parameters, budgets and rounds, as /v1/info showed them), the
 * attempts each player has per board over the whole season, and its
 * start and end.  The server signs a manifest of exactly that with the
 * receipt key at creation.  A season game names the season and one of
 * its presets; it is refused (409) before the start, after the end, or
 * when the preset no longer matches the manifest.  Standings freeze at
 * the end: attempts finished later do not count.
 *
 * Routes: POST /v1/seasons (admin), GET /v1/seasons, GET
 * /v1/seasons/{id} (with its boards).  Error convention of
 * challenges.h.
 */
#ifndef SC_SEASONS_H
#define SC_SEASONS_H

#include "challenges.h"
#include "http.h"

/* Checks that spec may be played in its season now: the season exists
 * (422 otherwise), is running (409), and fixed spec's preset as it is
 * now (409).  *season is filled on success; free it with
 * sc_season_row_free (also on failure). */
int sc_season_admit(sc_server *srv, const sc_challenge_spec *spec,
                    sc_season_row *season, sc_problem *pb);

void sc_h_season_create(sc_req *r);
void sc_h_season_list(sc_req *r);
void sc_h_season_get(sc_req *r);

#endif
