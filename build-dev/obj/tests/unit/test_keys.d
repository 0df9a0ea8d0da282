build-dev/obj/tests/unit/test_keys.o: tests/unit/test_keys.c \
 core/sc_rng.h core/sc_core.h server/keys.h core/sc_core.h server/store.h \
 tests/unit/tmpdir.h
core/sc_rng.h:
core/sc_core.h:
server/keys.h:
core/sc_core.h:
server/store.h:
tests/unit/tmpdir.h:
