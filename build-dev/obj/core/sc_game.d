build-dev/obj/core/sc_game.o: core/sc_game.c core/sc_game.h \
 core/sc_core.h core/sc_rng.h core/sc_stats.h
core/sc_game.h:
core/sc_core.h:
core/sc_rng.h:
core/sc_stats.h:
