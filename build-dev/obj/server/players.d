build-dev/obj/server/players.o: server/players.c \
 server/../proto/sc_wire.h server/../proto/../core/sc_core.h \
 server/../proto/sc_problem.h server/handlers.h server/http.h \
 server/../proto/sc_problem.h server/store.h server/keys.h core/sc_core.h \
 server/store.h server/server.h server/config.h
server/../proto/sc_wire.h:
server/../proto/../core/sc_core.h:
server/../proto/sc_problem.h:
server/handlers.h:
server/http.h:
server/../proto/sc_problem.h:
server/store.h:
server/keys.h:
core/sc_core.h:
server/store.h:
server/server.h:
server/config.h:
