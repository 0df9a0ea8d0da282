build-dev/obj/core/sc_gmm.o: core/sc_gmm.c core/sc_gmm.h core/sc_core.h \
 /usr/include/x86_64-linux-gnu/openblas-serial/cblas.h \
 /usr/include/x86_64-linux-gnu/openblas-serial/openblas_config.h \
 core/sc_rng.h
core/sc_gmm.h:
core/sc_core.h:
/usr/include/x86_64-linux-gnu/openblas-serial/cblas.h:
/usr/include/x86_64-linux-gnu/openblas-serial/openblas_config.h:
core/sc_rng.h:
