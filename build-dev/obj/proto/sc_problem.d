build-dev/obj/proto/sc_problem.o: proto/sc_problem.c proto/sc_problem.h
proto/sc_problem.h:
