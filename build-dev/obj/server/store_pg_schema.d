build-dev/obj/server/store_pg_schema.o: server/store_pg_schema.c \
 server/store_pg.h /usr/include/postgresql/libpq-fe.h \
 /usr/include/postgresql/postgres_ext.h \
 /usr/include/postgresql/pg_config_ext.h server/store_backend.h \
 server/store.h server/store_games.h server/store.h
server/store_pg.h:
/usr/include/postgresql/libpq-fe.h:
/usr/include/postgresql/postgres_ext.h:
/usr/include/postgresql/pg_config_ext.h:
server/store_backend.h:
server/store.h:
server/store_games.h:
server/store.h:
