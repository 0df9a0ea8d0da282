build-dev/obj/server/oracles.o: server/oracles.c server/../core/sc_owf.h \
 server/../core/sc_core.h server/../core/sc_rng.h \
 server/../proto/sc_wire.h server/../proto/../core/sc_core.h \
 server/../proto/sc_problem.h server/handlers.h server/http.h \
 server/../proto/sc_problem.h server/store.h server/instances.h \
 server/../core/sc_core.h server/limits.h server/server.h server/config.h
server/../core/sc_owf.h:
server/../core/sc_core.h:
server/../core/sc_rng.h:
server/../proto/sc_wire.h:
server/../proto/../core/sc_core.h:
server/../proto/sc_problem.h:
server/handlers.h:
server/http.h:
server/../proto/sc_problem.h:
server/store.h:
server/instances.h:
server/../core/sc_core.h:
server/limits.h:
server/server.h:
server/config.h:
