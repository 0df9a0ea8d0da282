build-dev/obj/server/challenge_spec.o: server/challenge_spec.c \
 server/../proto/sc_wire.h server/../proto/../core/sc_core.h \
 server/../proto/sc_problem.h server/challenges.h \
 server/../core/sc_game.h server/../core/sc_core.h \
 server/../proto/sc_problem.h server/http.h server/store.h \
 server/instances.h server/../core/sc_core.h server/store_games.h
server/../proto/sc_wire.h:
server/../proto/../core/sc_core.h:
server/../proto/sc_problem.h:
server/challenges.h:
server/../core/sc_game.h:
server/../core/sc_core.h:
server/../proto/sc_problem.h:
server/http.h:
server/store.h:
server/instances.h:
server/../core/sc_core.h:
server/store_games.h:
