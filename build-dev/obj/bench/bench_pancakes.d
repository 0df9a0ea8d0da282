build-dev/obj/bench/bench_pancakes.o: bench/bench_pancakes.c \
 core/sc_core.h core/sc_rng.h core/sc_core.h
core/sc_core.h:
core/sc_rng.h:
core/sc_core.h:
