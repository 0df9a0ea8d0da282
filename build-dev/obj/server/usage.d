build-dev/obj/server/usage.o: server/usage.c server/usage.h \
 server/server.h server/config.h server/store.h server/instances.h \
 server/../core/sc_core.h server/../proto/sc_problem.h
server/usage.h:
server/server.h:
server/config.h:
server/store.h:
server/instances.h:
server/../core/sc_core.h:
server/../proto/sc_problem.h:
