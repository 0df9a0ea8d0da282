build-dev/obj/tests/unit/test_game.o: tests/unit/test_game.c \
 core/sc_core.h core/sc_game.h core/sc_core.h core/sc_rng.h
core/sc_core.h:
core/sc_game.h:
core/sc_core.h:
core/sc_rng.h:
