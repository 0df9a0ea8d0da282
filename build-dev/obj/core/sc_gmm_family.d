build-dev/obj/core/sc_gmm_family.o: core/sc_gmm_family.c core/sc_core.h \
 core/sc_gmm.h core/sc_rng.h
core/sc_core.h:
core/sc_gmm.h:
core/sc_rng.h:
