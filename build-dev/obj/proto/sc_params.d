build-dev/obj/proto/sc_params.o: proto/sc_params.c proto/sc_wire.h \
 proto/../core/sc_core.h proto/sc_problem.h proto/sc_wire_internal.h \
 proto/../core/sc_commit.h
proto/sc_wire.h:
proto/../core/sc_core.h:
proto/sc_problem.h:
proto/sc_wire_internal.h:
proto/../core/sc_commit.h:
