build-dev/obj/tests/unit/test_cost.o: tests/unit/test_cost.c \
 core/sc_core.h core/sc_twin.h core/sc_core.h
core/sc_core.h:
core/sc_twin.h:
core/sc_core.h:
