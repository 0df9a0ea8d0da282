build-dev/obj/tests/unit/test_gmm.o: tests/unit/test_gmm.c core/sc_core.h \
 core/sc_gmm.h core/sc_core.h core/sc_rng.h tests/unit/ks.h \
 tests/unit/vectors.h
core/sc_core.h:
core/sc_gmm.h:
core/sc_core.h:
core/sc_rng.h:
tests/unit/ks.h:
tests/unit/vectors.h:
