build-dev/obj/core/sc_core.o: core/sc_core.c core/sc_core.h core/sc_rng.h
core/sc_core.h:
core/sc_rng.h:
