build-dev/obj/core/sc_dgauss.o: core/sc_dgauss.c core/sc_dgauss.h \
 core/sc_rng.h core/sc_core.h
core/sc_dgauss.h:
core/sc_rng.h:
core/sc_core.h:
