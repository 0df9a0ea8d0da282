build-dev/obj/tests/unit/test_gaussian.o: tests/unit/test_gaussian.c \
 core/sc_core.h core/sc_rng.h core/sc_core.h tests/unit/ks.h
core/sc_core.h:
core/sc_rng.h:
core/sc_core.h:
tests/unit/ks.h:
