build-dev/obj/server/store_games.o: server/store_games.c \
 server/store_games.h server/store.h server/store_sqlite.h server/store.h
server/store_games.h:
server/store.h:
server/store_sqlite.h:
server/store.h:
