build-dev/obj/tests/unit/backends.o: tests/unit/backends.c \
 tests/unit/backends.h /usr/include/postgresql/libpq-fe.h \
 /usr/include/postgresql/postgres_ext.h \
 /usr/include/postgresql/pg_config_ext.h tests/unit/tmpdir.h
tests/unit/backends.h:
/usr/include/postgresql/libpq-fe.h:
/usr/include/postgresql/postgres_ext.h:
/usr/include/postgresql/pg_config_ext.h:
tests/unit/tmpdir.h:
