build-dev/obj/core/sc_owf_exact.o: core/sc_owf_exact.c core/sc_owf.h \
 core/sc_core.h core/sc_owf_impl.h
core/sc_owf.h:
core/sc_core.h:
core/sc_owf_impl.h:
