build-dev/obj/server/h_instances.o: server/h_instances.c \
 server/handlers.h server/http.h server/../proto/sc_problem.h \
 server/store.h server/instances.h server/../core/sc_core.h \
 server/server.h server/config.h
server/handlers.h:
server/http.h:
server/../proto/sc_problem.h:
server/store.h:
server/instances.h:
server/../core/sc_core.h:
server/server.h:
server/config.h:
