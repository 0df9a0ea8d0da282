build-dev/obj/server/store.o: server/store.c server/store_backend.h \
 server/store.h server/store_games.h server/store.h
server/store_backend.h:
server/store.h:
server/store_games.h:
server/store.h:
