build-dev/obj/core/sc_ziggurat.o: core/sc_ziggurat.c core/sc_ziggurat.h
core/sc_ziggurat.h:
