build-dev/obj/tests/unit/test_twin.o: tests/unit/test_twin.c \
 core/sc_core.h core/sc_twin.h core/sc_core.h
core/sc_core.h:
core/sc_twin.h:
core/sc_core.h:
