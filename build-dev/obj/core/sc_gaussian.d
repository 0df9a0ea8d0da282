build-dev/obj/core/sc_gaussian.o: core/sc_gaussian.c core/sc_core.h \
 core/sc_rng.h
core/sc_core.h:
core/sc_rng.h:
