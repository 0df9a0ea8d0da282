build-dev/obj/tests/unit/test_store_games.o: \
 tests/unit/test_store_games.c core/sc_rng.h core/sc_core.h server/keys.h \
 core/sc_core.h server/store.h server/store_games.h server/store.h \
 tests/unit/backends.h tests/unit/tmpdir.h
core/sc_rng.h:
core/sc_core.h:
server/keys.h:
core/sc_core.h:
server/store.h:
server/store_games.h:
server/store.h:
tests/unit/backends.h:
tests/unit/tmpdir.h:
