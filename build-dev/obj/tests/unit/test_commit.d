build-dev/obj/tests/unit/test_commit.o: tests/unit/test_commit.c \
 core/sc_commit.h core/sc_core.h tests/unit/vectors.h
core/sc_commit.h:
core/sc_core.h:
tests/unit/vectors.h:
