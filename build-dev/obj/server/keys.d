build-dev/obj/server/keys.o: server/keys.c server/keys.h core/sc_core.h \
 server/store.h core/sc_commit.h core/sc_rng.h core/sc_core.h
server/keys.h:
core/sc_core.h:
server/store.h:
core/sc_commit.h:
core/sc_rng.h:
core/sc_core.h:
