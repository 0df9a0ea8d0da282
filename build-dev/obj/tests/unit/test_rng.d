build-dev/obj/tests/unit/test_rng.o: tests/unit/test_rng.c core/sc_rng.h \
 core/sc_core.h core/sc_ziggurat.h tests/unit/ks.h
core/sc_rng.h:
core/sc_core.h:
core/sc_ziggurat.h:
tests/unit/ks.h:
