build-dev/obj/server/store_instances.o: server/store_instances.c \
 server/store_sqlite.h server/store.h server/store_games.h server/store.h
server/store_sqlite.h:
server/store.h:
server/store_games.h:
server/store.h:
