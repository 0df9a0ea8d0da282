build-dev/obj/server/store_players.o: server/store_players.c \
 server/keys.h core/sc_core.h server/store.h server/store_sqlite.h \
 server/store_games.h server/store.h
server/keys.h:
core/sc_core.h:
server/store.h:
server/store_sqlite.h:
server/store_games.h:
server/store.h:
