build-dev/obj/core/sc_registry.o: core/sc_registry.c core/sc_core.h
core/sc_core.h:
