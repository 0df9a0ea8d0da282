build-dev/obj/tests/unit/test_npy.o: tests/unit/test_npy.c \
 proto/sc_wire.h proto/../core/sc_core.h proto/sc_problem.h
proto/sc_wire.h:
proto/../core/sc_core.h:
proto/sc_problem.h:
