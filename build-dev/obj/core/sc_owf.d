build-dev/obj/core/sc_owf.o: core/sc_owf.c core/sc_owf.h core/sc_core.h \
 core/sc_owf_impl.h core/sc_rng.h
core/sc_owf.h:
core/sc_core.h:
core/sc_owf_impl.h:
core/sc_rng.h:
