build-dev/obj/server/router.o: server/router.c server/../proto/sc_wire.h \
 server/../proto/../core/sc_core.h server/../proto/sc_problem.h \
 server/auth.h server/server.h server/config.h server/store.h \
 server/request.h server/handlers.h server/http.h \
 server/../proto/sc_problem.h
server/../proto/sc_wire.h:
server/../proto/../core/sc_core.h:
server/../proto/sc_problem.h:
server/auth.h:
server/server.h:
server/config.h:
server/store.h:
server/request.h:
server/handlers.h:
server/http.h:
server/../proto/sc_problem.h:
