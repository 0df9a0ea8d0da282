build-dev/obj/server/metrics.o: server/metrics.c server/metrics.h \
 server/store.h server/handlers.h server/http.h \
 server/../proto/sc_problem.h
server/metrics.h:
server/store.h:
server/handlers.h:
server/http.h:
server/../proto/sc_problem.h:
