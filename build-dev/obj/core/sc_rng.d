build-dev/obj/core/sc_rng.o: core/sc_rng.c core/sc_rng.h core/sc_core.h \
 core/sc_ziggurat.h
core/sc_rng.h:
core/sc_core.h:
core/sc_ziggurat.h:
