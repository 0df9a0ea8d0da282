/*
 * Strict query strings: which query parameters each route takes.
 *
 * A route takes only the parameters its row in query.c names, each at
 * most once; anything else is a 422 naming the offending parameter,
 * answered before the body is read.  The values themselves are the
 * handler's to check (oracles.c for t, leaderboard.c for limit).
 */
#ifndef SC_QUERY_H
#define SC_QUERY_H

#include "http.h"

/* 0 when the query string of r suits its route (r->route set);
 * otherwise -1 with pb filled (422, the parameter in errors[0]). */
int sc_query_check(const sc_req *r, sc_problem *pb);

#endif
