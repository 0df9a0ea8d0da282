build-dev/obj/tests/unit/test_owf.o: tests/unit/test_owf.c \
 core/sc_commit.h core/sc_core.h core/sc_owf.h core/sc_core.h \
 core/sc_rng.h tests/unit/vectors.h
core/sc_commit.h:
core/sc_core.h:
core/sc_owf.h:
core/sc_core.h:
core/sc_rng.h:
tests/unit/vectors.h:
