build-dev/obj/tests/unit/test_config.o: tests/unit/test_config.c \
 server/config.h
server/config.h:
