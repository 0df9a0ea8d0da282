build-dev/obj/tests/unit/test_wire.o: tests/unit/test_wire.c \
 proto/sc_wire.h proto/../core/sc_core.h proto/sc_problem.h
proto/sc_wire.h:
proto/../core/sc_core.h:
proto/sc_problem.h:
