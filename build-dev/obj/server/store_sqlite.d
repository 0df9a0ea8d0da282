build-dev/obj/server/store_sqlite.o: server/store_sqlite.c \
 server/store_sqlite.h server/store.h server/store_games.h server/store.h \
 server/store_backend.h
server/store_sqlite.h:
server/store.h:
server/store_games.h:
server/store.h:
server/store_backend.h:
