/*
 * Player names that no one may take: the role names and the server's
 * own, so that no row on a board can pass for the server's or an
 * administrator's.  A name is compared by its ASCII letters and digits
 * alone, case folded: "Admin", "ad-min" and "ADMIN " are all "admin".
 *
 * Error convention of challenges.h (0, or -1 with pb filled).
 */
#ifndef SC_NAMES_H
#define SC_NAMES_H

#include "../proto/sc_problem.h"

/* 422 on field "name" when name is reserved. */
int sc_name_check_reserved(const char *name, sc_problem *pb);

#endif
