build-dev/obj/bench/bench_wire.o: bench/bench_wire.c proto/sc_wire.h \
 proto/../core/sc_core.h proto/sc_problem.h
proto/sc_wire.h:
proto/../core/sc_core.h:
proto/sc_problem.h:
