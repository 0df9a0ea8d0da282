build-dev/obj/core/sc_stats.o: core/sc_stats.c core/sc_stats.h
core/sc_stats.h:
