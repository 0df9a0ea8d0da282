build-dev/obj/server/store_schema.o: server/store_schema.c \
 server/store_sqlite.h server/store.h server/store_games.h server/store.h
server/store_sqlite.h:
server/store.h:
server/store_games.h:
server/store.h:
