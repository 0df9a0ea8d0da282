build-dev/obj/tests/unit/test_stats.o: tests/unit/test_stats.c \
 core/sc_stats.h
core/sc_stats.h:
