build-dev/obj/server/leaderboard.o: server/leaderboard.c \
 server/../proto/sc_wire.h server/../proto/../core/sc_core.h \
 server/../proto/sc_problem.h server/challenges.h \
 server/../core/sc_game.h server/../core/sc_core.h \
 server/../proto/sc_problem.h server/http.h server/store.h \
 server/instances.h server/../core/sc_core.h server/store_games.h \
 server/games.h server/server.h server/config.h
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
server/games.h:
server/server.h:
server/config.h:
