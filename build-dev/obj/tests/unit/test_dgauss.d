build-dev/obj/tests/unit/test_dgauss.o: tests/unit/test_dgauss.c \
 core/sc_dgauss.h core/sc_rng.h core/sc_core.h core/sc_rng.h
core/sc_dgauss.h:
core/sc_rng.h:
core/sc_core.h:
core/sc_rng.h:
