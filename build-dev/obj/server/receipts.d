build-dev/obj/server/receipts.o: server/receipts.c server/challenges.h \
 server/../core/sc_game.h server/../core/sc_core.h \
 server/../proto/sc_problem.h server/http.h server/store.h \
 server/instances.h server/../core/sc_core.h server/store_games.h \
 server/keys.h core/sc_core.h server/store.h server/server.h \
 server/config.h
server/challenges.h:
server/../core/sc_game.h:
server/../core/sc_core.h:
server/../proto/sc_problem.h:
server/http.h:
server/store.h:
server/instances.h:
server/../core/sc_core.h:
server/store_games.h:
server/keys.h:
core/sc_core.h:
server/store.h:
server/server.h:
server/config.h:
