build-dev/obj/tests/unit/ks.o: tests/unit/ks.c tests/unit/ks.h
tests/unit/ks.h:
