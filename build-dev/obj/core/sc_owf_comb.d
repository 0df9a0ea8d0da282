build-dev/obj/core/sc_owf_comb.o: core/sc_owf_comb.c core/sc_owf_impl.h \
 core/sc_core.h
core/sc_owf_impl.h:
core/sc_core.h:
