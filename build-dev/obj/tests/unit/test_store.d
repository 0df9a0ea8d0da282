build-dev/obj/tests/unit/test_store.o: tests/unit/test_store.c \
 core/sc_rng.h core/sc_core.h server/keys.h core/sc_core.h server/store.h \
 server/store_pg.h /usr/include/postgresql/libpq-fe.h \
 /usr/include/postgresql/postgres_ext.h \
 /usr/include/postgresql/pg_config_ext.h server/store_backend.h \
 server/store_games.h server/store.h server/store_sqlite.h \
 tests/unit/backends.h tests/unit/tmpdir.h
core/sc_rng.h:
core/sc_core.h:
server/keys.h:
core/sc_core.h:
server/store.h:
server/store_pg.h:
/usr/include/postgresql/libpq-fe.h:
/usr/include/postgresql/postgres_ext.h:
/usr/include/postgresql/pg_config_ext.h:
server/store_backend.h:
server/store_games.h:
server/store.h:
server/store_sqlite.h:
tests/unit/backends.h:
tests/unit/tmpdir.h:
