build-dev/obj/server/ops.o: server/ops.c server/../core/sc_core.h \
 server/../core/sc_game.h server/../core/sc_core.h server/handlers.h \
 server/http.h server/../proto/sc_problem.h server/store.h \
 server/limits.h server/metrics.h server/server.h server/config.h
server/../core/sc_core.h:
server/../core/sc_game.h:
server/../core/sc_core.h:
server/handlers.h:
server/http.h:
server/../proto/sc_problem.h:
server/store.h:
server/limits.h:
server/metrics.h:
server/server.h:
server/config.h:
