build-dev/obj/core/sc_commit.o: core/sc_commit.c core/sc_commit.h \
 core/sc_core.h
core/sc_commit.h:
core/sc_core.h:
