build-dev/obj/core/sc_twin.o: core/sc_twin.c core/sc_twin.h \
 core/sc_core.h
core/sc_twin.h:
core/sc_core.h:
