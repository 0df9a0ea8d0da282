/*
 * The route table: every endpoint of the API in one place (handlers.h
 * explains the columns), and the hooks other modules fill in.
 */
#include "games.h"
#include "handlers.h"
#include "seasons.h"

#define JSON SC_BODY_JSON
#define JSON_OR_NPY (SC_BODY_JSON | SC_BODY_NPY)
#define OPTIONAL_JSON (SC_BODY_JSON | SC_BODY_EMPTY_OK)

const sc_route sc_routes[] = {
    {"GET", "/healthz", sc_h_healthz, SC_AUTH_NONE, SC_BODY_NONE},
    {"GET", "/readyz", sc_h_readyz, SC_AUTH_NONE, SC_BODY_NONE},
    {"GET", "/metrics", sc_h_metrics, SC_AUTH_NONE, SC_BODY_NONE},
    {"GET", "/v1/info", sc_h_info, SC_AUTH_NONE, SC_BODY_NONE},
    {"GET", "/v1/openapi.yaml", sc_h_openapi, SC_AUTH_NONE, SC_BODY_NONE},

    {"POST", "/v1/players", sc_h_player_create, SC_AUTH_OPTIONAL, JSON},
    {"GET", "/v1/players/me", sc_h_player_me, SC_AUTH_PLAYER, SC_BODY_NONE},

    {"POST", "/v1/instances", sc_h_instance_create, SC_AUTH_PLAYER, JSON},
    {"GET", "/v1/instances/{id}", sc_h_instance_get, SC_AUTH_PLAYER,
     SC_BODY_NONE},
    {"POST", "/v1/instances/{id}/samples", sc_h_instance_samples,
     SC_AUTH_PLAYER, JSON},
    {"POST", "/v1/instances/{id}/score", sc_h_instance_score, SC_AUTH_PLAYER,
     JSON_OR_NPY},
    {"POST", "/v1/instances/{id}/logpdf", sc_h_instance_logpdf,
     SC_AUTH_PLAYER, JSON_OR_NPY},
    {"POST", "/v1/instances/{id}/reveal", sc_h_instance_reveal,
     SC_AUTH_PLAYER, OPTIONAL_JSON},
    {"GET", "/v1/instances/{id}/reveal", sc_h_instance_reveal_get,
     SC_AUTH_PLAYER, SC_BODY_NONE},

    {"POST", "/v1/challenges", sc_h_challenge_create, SC_AUTH_PLAYER, JSON},
    {"GET", "/v1/challenges", sc_h_challenge_list, SC_AUTH_PLAYER,
     SC_BODY_NONE},
    {"GET", "/v1/challenges/{id}", sc_h_challenge_get, SC_AUTH_PLAYER,
     SC_BODY_NONE},
    {"POST", "/v1/challenges/{id}/rounds/{index}/answer",
     sc_h_challenge_answer, SC_AUTH_PLAYER, JSON_OR_NPY},
    {"POST", "/v1/challenges/{id}/finish", sc_h_challenge_finish,
     SC_AUTH_PLAYER, OPTIONAL_JSON},
    {"GET", "/v1/challenges/{id}/reveal", sc_h_challenge_reveal,
     SC_AUTH_PLAYER, SC_BODY_NONE},
    {"GET", "/v1/challenges/{id}/rounds/{index}/eval", sc_h_challenge_eval,
     SC_AUTH_PLAYER, SC_BODY_NONE},
    {"GET", "/v1/leaderboard", sc_h_leaderboard, SC_AUTH_NONE, SC_BODY_NONE},
    {"POST", "/v1/seasons", sc_h_season_create, SC_AUTH_ADMIN, JSON},
    {"GET", "/v1/seasons", sc_h_season_list, SC_AUTH_NONE, SC_BODY_NONE},
    {"GET", "/v1/seasons/{id}", sc_h_season_get, SC_AUTH_NONE,
     SC_BODY_NONE},

    {"POST", "/v1/classes", sc_h_class_create, SC_AUTH_INSTRUCTOR, JSON},
    {"GET", "/v1/classes", sc_h_class_list, SC_AUTH_INSTRUCTOR,
     SC_BODY_NONE},
    {"POST", "/v1/classes/join", sc_h_class_join, SC_AUTH_OPTIONAL, JSON},
    {"GET", "/v1/classes/{id}", sc_h_class_get, SC_AUTH_INSTRUCTOR,
     SC_BODY_NONE},
    {"POST", "/v1/classes/{id}/join-code", sc_h_class_rotate_code,
     SC_AUTH_INSTRUCTOR, OPTIONAL_JSON},
    {"POST", "/v1/classes/{id}/assignments", sc_h_assignment_create,
     SC_AUTH_INSTRUCTOR, JSON},
    {"GET", "/v1/classes/{id}/results", sc_h_class_results,
     SC_AUTH_INSTRUCTOR, SC_BODY_NONE},
};

const size_t sc_nroutes = sizeof sc_routes / sizeof sc_routes[0];

const sc_hooks sc_hooks_table = {
    .init = NULL,
    .info = sc_games_info,
    .round_gate = sc_games_round_gate,
    .fini = NULL,
};
