build-dev/obj/tests/unit/test_problem.o: tests/unit/test_problem.c \
 proto/sc_problem.h
proto/sc_problem.h:
