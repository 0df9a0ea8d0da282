build-dev/obj/bench/bench_score_batch.o: bench/bench_score_batch.c \
 /usr/include/x86_64-linux-gnu/openblas-serial/cblas.h \
 /usr/include/x86_64-linux-gnu/openblas-serial/openblas_config.h \
 core/sc_core.h core/sc_rng.h core/sc_core.h
/usr/include/x86_64-linux-gnu/openblas-serial/cblas.h:
/usr/include/x86_64-linux-gnu/openblas-serial/openblas_config.h:
core/sc_core.h:
core/sc_rng.h:
core/sc_core.h:
