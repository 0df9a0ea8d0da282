build-dev/obj/server/workers.o: server/workers.c server/request.h \
 server/handlers.h server/http.h server/../proto/sc_problem.h \
 server/store.h server/server.h server/config.h
server/request.h:
server/handlers.h:
server/http.h:
server/../proto/sc_problem.h:
server/store.h:
server/server.h:
server/config.h:
