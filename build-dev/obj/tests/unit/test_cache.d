build-dev/obj/tests/unit/test_cache.o: tests/unit/test_cache.c \
 server/cache.h server/server.h server/config.h server/store.h \
 server/instances.h server/../core/sc_core.h server/../proto/sc_problem.h \
 server/keys.h core/sc_core.h server/store.h server/server.h \
 tests/unit/tmpdir.h
server/cache.h:
server/server.h:
server/config.h:
server/store.h:
server/instances.h:
server/../core/sc_core.h:
server/../proto/sc_problem.h:
server/keys.h:
core/sc_core.h:
server/store.h:
server/server.h:
tests/unit/tmpdir.h:
