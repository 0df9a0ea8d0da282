build-dev/obj/server/reply.o: server/reply.c server/../proto/sc_wire.h \
 server/../proto/../core/sc_core.h server/../proto/sc_problem.h \
 server/request.h server/handlers.h server/http.h \
 server/../proto/sc_problem.h server/store.h server/server.h \
 server/config.h
server/../proto/sc_wire.h:
server/../proto/../core/sc_core.h:
server/../proto/sc_problem.h:
server/request.h:
server/handlers.h:
server/http.h:
server/../proto/sc_problem.h:
server/store.h:
server/server.h:
server/config.h:
