build-dev/obj/core/sc_owf_regime.o: core/sc_owf_regime.c core/sc_owf.h \
 core/sc_core.h core/sc_owf_impl.h
core/sc_owf.h:
core/sc_core.h:
core/sc_owf_impl.h:
