build-dev/obj/proto/sc_wire.o: proto/sc_wire.c proto/sc_wire.h \
 proto/../core/sc_core.h proto/sc_problem.h proto/sc_wire_internal.h
proto/sc_wire.h:
proto/../core/sc_core.h:
proto/sc_problem.h:
proto/sc_wire_internal.h:
