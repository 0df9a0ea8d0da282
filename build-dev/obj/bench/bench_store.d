build-dev/obj/bench/bench_store.o: bench/bench_store.c core/sc_rng.h \
 core/sc_core.h server/keys.h core/sc_core.h server/store.h
core/sc_rng.h:
core/sc_core.h:
server/keys.h:
core/sc_core.h:
server/store.h:
