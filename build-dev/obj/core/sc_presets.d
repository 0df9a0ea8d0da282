build-dev/obj/core/sc_presets.o: core/sc_presets.c core/sc_game.h \
 core/sc_core.h
core/sc_game.h:
core/sc_core.h:
