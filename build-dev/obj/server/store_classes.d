build-dev/obj/server/store_classes.o: server/store_classes.c \
 server/store_games.h server/store.h server/store_sqlite.h server/store.h
server/store_games.h:
server/store.h:
server/store_sqlite.h:
server/store.h:
