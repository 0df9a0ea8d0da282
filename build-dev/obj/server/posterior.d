build-dev/obj/server/posterior.o: server/posterior.c \
 server/../core/sc_commit.h server/../proto/sc_wire.h \
 server/../proto/../core/sc_core.h server/../proto/sc_problem.h \
 server/posterior.h server/../core/sc_game.h server/../core/sc_core.h \
 server/instances.h server/../core/sc_core.h server/../proto/sc_problem.h \
 server/store.h server/server.h server/config.h
server/../core/sc_commit.h:
server/../proto/sc_wire.h:
server/../proto/../core/sc_core.h:
server/../proto/sc_problem.h:
server/posterior.h:
server/../core/sc_game.h:
server/../core/sc_core.h:
server/instances.h:
server/../core/sc_core.h:
server/../proto/sc_problem.h:
server/store.h:
server/server.h:
server/config.h:
