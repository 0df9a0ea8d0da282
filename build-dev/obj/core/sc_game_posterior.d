build-dev/obj/core/sc_game_posterior.o: core/sc_game_posterior.c \
 core/sc_game.h core/sc_core.h core/sc_owf.h core/sc_twin.h
core/sc_game.h:
core/sc_core.h:
core/sc_owf.h:
core/sc_twin.h:
