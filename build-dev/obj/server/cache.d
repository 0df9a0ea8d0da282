build-dev/obj/server/cache.o: server/cache.c server/cache.h \
 server/server.h server/config.h server/store.h server/../core/sc_twin.h \
 server/../core/sc_core.h server/instances.h server/../core/sc_core.h \
 server/../proto/sc_problem.h server/keys.h core/sc_core.h server/store.h
server/cache.h:
server/server.h:
server/config.h:
server/store.h:
server/../core/sc_twin.h:
server/../core/sc_core.h:
server/instances.h:
server/../core/sc_core.h:
server/../proto/sc_problem.h:
server/keys.h:
core/sc_core.h:
server/store.h:
