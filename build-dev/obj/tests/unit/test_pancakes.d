build-dev/obj/tests/unit/test_pancakes.o: tests/unit/test_pancakes.c \
 core/sc_core.h core/sc_pancakes.h core/sc_core.h core/sc_rng.h \
 tests/unit/vectors.h
core/sc_core.h:
core/sc_pancakes.h:
core/sc_core.h:
core/sc_rng.h:
tests/unit/vectors.h:
