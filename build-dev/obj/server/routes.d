build-dev/obj/server/routes.o: server/routes.c server/games.h \
 server/http.h server/../proto/sc_problem.h server/store.h \
 server/instances.h server/../core/sc_core.h server/handlers.h
server/games.h:
server/http.h:
server/../proto/sc_problem.h:
server/store.h:
server/instances.h:
server/../core/sc_core.h:
server/handlers.h:
