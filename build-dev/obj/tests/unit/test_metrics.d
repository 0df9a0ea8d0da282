build-dev/obj/tests/unit/test_metrics.o: tests/unit/test_metrics.c \
 server/handlers.h server/http.h server/../proto/sc_problem.h \
 server/store.h server/metrics.h
server/handlers.h:
server/http.h:
server/../proto/sc_problem.h:
server/store.h:
server/metrics.h:
