build-dev/obj/bench/bench_core.o: bench/bench_core.c \
 /usr/include/x86_64-linux-gnu/openblas-serial/cblas.h \
 /usr/include/x86_64-linux-gnu/openblas-serial/openblas_config.h \
 core/sc_gmm.h core/sc_core.h core/sc_rng.h
/usr/include/x86_64-linux-gnu/openblas-serial/cblas.h:
/usr/include/x86_64-linux-gnu/openblas-serial/openblas_config.h:
core/sc_gmm.h:
core/sc_core.h:
core/sc_rng.h:
