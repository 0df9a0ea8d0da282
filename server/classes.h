/*
 * What the class handlers share (classes.c, class_codes.c,
 * class_results.c) and the deadline rule the challenge answers obey.
 * Every failure fills the sc_problem and answers -1; success answers 0.
 */
#ifndef SC_CLASSES_H
#define SC_CLASSES_H

#include "http.h"
#include "store_games.h"

/* A join code: 12 characters of an alphabet without look-alikes. */
#define SC_CLASS_CODE_LEN 12

/* The join code of generation gen of a class, derived from the server
 * key (class_codes.c). */
void sc_class_code(sc_server *srv, const char *class_id, int64_t gen,
                   char out[SC_CLASS_CODE_LEN + 1]);

/* The class of the {id} parameter, if the caller teaches it (or is an
 * admin): 404, 403 or 500 otherwise. */
int sc_class_load_own(sc_req *r, sc_class_row *c, sc_problem *pb);

/* 0 unless c belongs to an assignment whose deadline has passed: then a
 * 409 "deadline-passed" problem naming the deadline. */
int sc_class_deadline_check(sc_server *srv, const sc_challenge_row *c,
                            sc_problem *pb);

#endif
