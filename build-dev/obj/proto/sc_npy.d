build-dev/obj/proto/sc_npy.o: proto/sc_npy.c proto/sc_wire.h \
 proto/../core/sc_core.h proto/sc_problem.h
proto/sc_wire.h:
proto/../core/sc_core.h:
proto/sc_problem.h:
