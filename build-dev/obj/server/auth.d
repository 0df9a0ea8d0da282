build-dev/obj/server/auth.o: server/auth.c server/auth.h server/server.h \
 server/config.h server/store.h server/keys.h core/sc_core.h \
 server/store.h
server/auth.h:
server/server.h:
server/config.h:
server/store.h:
server/keys.h:
core/sc_core.h:
server/store.h:
