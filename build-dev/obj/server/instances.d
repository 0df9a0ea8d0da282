build-dev/obj/server/instances.o: server/instances.c server/instances.h \
 server/../core/sc_core.h server/../proto/sc_problem.h server/store.h \
 server/../core/sc_commit.h server/../proto/sc_wire.h \
 server/../proto/../core/sc_core.h server/../proto/sc_problem.h \
 server/keys.h core/sc_core.h server/store.h server/server.h \
 server/config.h server/usage.h
server/instances.h:
server/../core/sc_core.h:
server/../proto/sc_problem.h:
server/store.h:
server/../core/sc_commit.h:
server/../proto/sc_wire.h:
server/../proto/../core/sc_core.h:
server/../proto/sc_problem.h:
server/keys.h:
core/sc_core.h:
server/store.h:
server/server.h:
server/config.h:
server/usage.h:
