build-dev/obj/server/class_results.o: server/class_results.c \
 server/challenges.h server/../core/sc_game.h server/../core/sc_core.h \
 server/../proto/sc_problem.h server/http.h server/store.h \
 server/instances.h server/../core/sc_core.h server/store_games.h \
 server/games.h server/server.h server/config.h
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
