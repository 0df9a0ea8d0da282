build-dev/obj/server/main.o: server/main.c \
 /usr/include/x86_64-linux-gnu/openblas-serial/cblas.h \
 /usr/include/x86_64-linux-gnu/openblas-serial/openblas_config.h \
 server/cache.h server/server.h server/config.h server/store.h \
 server/accesslog.h server/auth.h server/handlers.h server/http.h \
 server/../proto/sc_problem.h server/http_server.h server/keys.h \
 core/sc_core.h server/store.h server/metrics.h server/request.h \
 server/usage.h
/usr/include/x86_64-linux-gnu/openblas-serial/cblas.h:
/usr/include/x86_64-linux-gnu/openblas-serial/openblas_config.h:
server/cache.h:
server/server.h:
server/config.h:
server/store.h:
server/accesslog.h:
server/auth.h:
server/handlers.h:
server/http.h:
server/../proto/sc_problem.h:
server/http_server.h:
server/keys.h:
core/sc_core.h:
server/store.h:
server/metrics.h:
server/request.h:
server/usage.h:
