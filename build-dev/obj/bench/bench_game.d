build-dev/obj/bench/bench_game.o: bench/bench_game.c core/sc_core.h \
 core/sc_game.h core/sc_core.h core/sc_stats.h core/sc_twin.h
core/sc_core.h:
core/sc_game.h:
core/sc_core.h:
core/sc_stats.h:
core/sc_twin.h:
