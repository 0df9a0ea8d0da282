build-dev/obj/core/sc_pancakes.o: core/sc_pancakes.c core/sc_pancakes.h \
 core/sc_core.h core/sc_dgauss.h core/sc_rng.h
core/sc_pancakes.h:
core/sc_core.h:
core/sc_dgauss.h:
core/sc_rng.h:
