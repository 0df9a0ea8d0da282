build-dev/obj/server/http.o: server/http.c server/http_server.h \
 server/server.h server/config.h server/store.h server/accesslog.h \
 server/metrics.h server/request.h server/handlers.h server/http.h \
 server/../proto/sc_problem.h
server/http_server.h:
server/server.h:
server/config.h:
server/store.h:
server/accesslog.h:
server/metrics.h:
server/request.h:
server/handlers.h:
server/http.h:
server/../proto/sc_problem.h:
