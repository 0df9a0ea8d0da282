build-dev/obj/server/challenges.o: server/challenges.c \
 server/../core/sc_commit.h server/../core/sc_rng.h \
 server/../core/sc_core.h server/../proto/sc_wire.h \
 server/../proto/../core/sc_core.h server/../proto/sc_problem.h \
 server/challenges.h server/../core/sc_game.h \
 server/../proto/sc_problem.h server/http.h server/store.h \
 server/instances.h server/../core/sc_core.h server/store_games.h \
 server/games.h server/keys.h core/sc_core.h server/store.h \
 server/posterior.h server/server.h server/config.h
server/../core/sc_commit.h:
server/../core/sc_rng.h:
server/../core/sc_core.h:
server/../proto/sc_wire.h:
server/../proto/../core/sc_core.h:
server/../proto/sc_problem.h:
server/challenges.h:
server/../core/sc_game.h:
server/../proto/sc_problem.h:
server/http.h:
server/store.h:
server/instances.h:
server/../core/sc_core.h:
server/store_games.h:
server/games.h:
server/keys.h:
core/sc_core.h:
server/store.h:
server/posterior.h:
server/server.h:
server/config.h:
