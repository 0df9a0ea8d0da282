build-dev/obj/tests/unit/vectors.o: tests/unit/vectors.c \
 tests/unit/vectors.h
tests/unit/vectors.h:
