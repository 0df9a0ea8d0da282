build-dev/obj/server/accesslog.o: server/accesslog.c server/accesslog.h \
 server/store.h
server/accesslog.h:
server/store.h:
