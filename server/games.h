/*
 * What the games give the HTTP layer: the handlers of the challenge,
 * leaderboard and class routes (rows of routes.c) and the hooks of
 * handlers.h's sc_hooks.
 */
#ifndef SC_GAMES_H
#define SC_GAMES_H

#include <jansson.h>

#include "http.h"
#include "instances.h"

/* Challenges (challenges.c, challenge_play.c). */
void sc_h_challenge_create(sc_req *r);
void sc_h_challenge_list(sc_req *r);
void sc_h_challenge_get(sc_req *r);
void sc_h_challenge_answer(sc_req *r);
void sc_h_challenge_finish(sc_req *r);

/* Re-reads of a challenge (challenge_reads.c). */
void sc_h_challenge_reveal(sc_req *r);
void sc_h_challenge_eval(sc_req *r);

/* Leaderboard (leaderboard.c). */
void sc_h_leaderboard(sc_req *r);

/* Classes (classes.c, class_codes.c, class_results.c). */
void sc_h_class_create(sc_req *r);
void sc_h_class_list(sc_req *r);
void sc_h_class_rotate_code(sc_req *r);
void sc_h_class_join(sc_req *r);
void sc_h_class_get(sc_req *r);
void sc_h_assignment_create(sc_req *r);
void sc_h_class_results(sc_req *r);

/* Hooks: /v1/info's "receipt_key" and "presets"; the gate that keeps a
 * round's oracles closed after its answer and its reveal until the
 * challenge finishes (identical answers for planted and null rounds). */
void sc_games_info(sc_server *srv, json_t *info);
int sc_games_round_gate(sc_server *srv, const sc_instance_row *row,
                        int meter, sc_problem *pb);

#endif
