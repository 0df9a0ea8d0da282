build-dev/obj/bench/bench_owf.o: bench/bench_owf.c core/sc_core.h \
 core/sc_owf.h core/sc_core.h
core/sc_core.h:
core/sc_owf.h:
core/sc_core.h:
