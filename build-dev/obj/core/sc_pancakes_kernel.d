build-dev/obj/core/sc_pancakes_kernel.o: core/sc_pancakes_kernel.c \
 core/sc_pancakes.h core/sc_core.h
core/sc_pancakes.h:
core/sc_core.h:
