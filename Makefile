# scoracle: `make run` serves on 127.0.0.1:8080, `make test` runs every test.
# Quiet unless V=1.  Sources are found by folder: core/ proto/ server/,
# tests/unit/test_*.c (cmocka), tests/fuzz/fuzz_*.c (libFuzzer),
# bench/bench_*.c.

BUILD ?= build
SAN ?= 0
OPT ?= -O2
PY ?= /usr/bin/python3
LISTEN ?= 127.0.0.1:8080
STATE ?= state
FUZZ_SECONDS ?= 10

ifeq ($(V),1)
Q :=
else
Q := @
endif

# OpenBLAS's serial variant, linked by path so that an installed pthread
# variant can never be picked up: the server parallelises requests itself.
BLAS_INC := /usr/include/x86_64-linux-gnu/openblas-serial
BLAS_LIB := /usr/lib/x86_64-linux-gnu/openblas-serial
# libpq (libpq-dev), for the PostgreSQL store.
PQ_INC := /usr/include/postgresql

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla \
        -Wformat=2 -Wno-format-nonliteral
CPPFLAGS := -I. -I$(BLAS_INC) -I$(PQ_INC) -D_DEFAULT_SOURCE -MMD -MP
CFLAGS := -std=c17 $(OPT) -g $(WARN) -pthread
LDFLAGS := -pthread -L$(BLAS_LIB) -Wl,-rpath,$(BLAS_LIB)
LDLIBS := -lmicrohttpd -ljansson -lsodium -lsqlite3 -lpq -lopenblas \
          -ldouble-conversion -lstdc++ -lm
# The C++ shims (proto/*.cc: double-conversion behind a C interface):
# the same warnings, no exceptions or RTTI, so they link as C objects do.
CXXFLAGS := -std=c++17 $(OPT) -g -Wall -Wextra -Werror -Wshadow \
            -fno-exceptions -fno-rtti -pthread

# Debug builds check SC_ASSERT invariants (core/sc_assert.h); every
# sanitizer build is one.
DEBUG ?= $(SAN)
ifeq ($(DEBUG),1)
CPPFLAGS += -DSC_DEBUG
endif

# `make coverage` builds with gcov counters (scripts/coverage.sh).
ifeq ($(COVERAGE),1)
CFLAGS += --coverage
CXXFLAGS += --coverage
LDFLAGS += --coverage
endif

ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer
CFLAGS += $(SANFLAGS)
CXXFLAGS += $(SANFLAGS) -fno-sanitize=vptr
LDFLAGS += $(SANFLAGS)
endif

CORE_SRC := $(wildcard core/*.c)
PROTO_SRC := $(wildcard proto/*.c)
PROTO_CXX_SRC := $(wildcard proto/*.cc)
# main.c and oom_wrap.c are the daemon's alone (oom_wrap.c: the
# out-of-memory policy of server/xalloc.h, by -Wl,--wrap).
DAEMON_ONLY := server/main.c server/oom_wrap.c
SERVER_SRC := $(filter-out $(DAEMON_ONLY),$(wildcard server/*.c))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_HELPERS := $(filter-out tests/unit/test_%,$(wildcard tests/unit/*.c))
BENCH_SRC := $(wildcard bench/bench_*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
CLIENT_C_SRC := $(wildcard clients/c/*.c)

# The web arena's served tree (scripts/web.sh), beside the daemon.
WEB_SRC := $(shell find clients/web/src -type f 2>/dev/null) \
           clients/js/scoracle.mjs clients/web/package-lock.json
WEB_TREE := $(BUILD)/web/index.html

obj = $(patsubst %.cc,$(BUILD)/obj/%.o,$(patsubst %.c,$(BUILD)/obj/%.o,$(1)))

CORE_LIB := $(BUILD)/libsccore.a
PROTO_LIB := $(BUILD)/libscproto.a
SERVER_LIB := $(BUILD)/libscserver.a
DAEMON := $(BUILD)/scoracled
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
BENCH_BIN := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
# The C client's example program (clients/c), run by its pytest.
CLIENT_EXAMPLE := $(BUILD)/clients/scoracle-example
# The fault-injecting SQLite VFS, preloaded into a live server by
# tests/http/test_store_faults.py.
FAULT_PRELOAD := $(BUILD)/tests/faultvfs.so
# A malloc that fails one size, preloaded by tests/http/test_oom_policy.py.
OOM_PRELOAD := $(BUILD)/tests/oompreload.so

.PHONY: all deps deps-serve run test check unit http fuzz fuzz-smoke \
        asan valgrind bench style clean coverage soak

all: $(DAEMON) $(UNIT_BIN) $(BENCH_BIN) $(CLIENT_EXAMPLE) $(FAULT_PRELOAD) \
     $(OOM_PRELOAD) $(WEB_TREE)

# deps: everything make test uses; deps-serve: only what make run needs.
deps:
	$(Q)./scripts/deps.sh test

deps-serve:
	$(Q)./scripts/deps.sh serve

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.cc
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CXX     $<")
	$(Q)$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

$(CORE_LIB): $(call obj,$(CORE_SRC))
$(PROTO_LIB): $(call obj,$(PROTO_SRC) $(PROTO_CXX_SRC))
$(SERVER_LIB): $(call obj,$(SERVER_SRC))
$(CORE_LIB) $(PROTO_LIB) $(SERVER_LIB):
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

LIBS := $(SERVER_LIB) $(PROTO_LIB) $(CORE_LIB)

$(DAEMON): LDFLAGS += \
    -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup
$(DAEMON): $(call obj,$(DAEMON_ONLY)) $(LIBS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(call obj,tests/unit/%.c) $(call obj,$(UNIT_HELPERS)) $(LIBS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# The malloc-failure test counts and fails core's and proto's allocations
# through its own wrappers.
$(BUILD)/tests/test_oom: LDFLAGS += \
    -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free

$(FAULT_PRELOAD): tests/http/faultvfs_preload.c tests/unit/faultvfs.c \
                  tests/unit/faultvfs.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -std=c17 -O1 -g $(WARN) -fPIC -shared -o $@ \
	    tests/http/faultvfs_preload.c tests/unit/faultvfs.c -lsqlite3

$(OOM_PRELOAD): tests/http/oom_preload.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -std=c17 -O1 -g $(WARN) -fPIC -shared -o $@ $<

$(BUILD)/bench/%: $(call obj,bench/%.c) $(LIBS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(CLIENT_EXAMPLE): $(call obj,$(CLIENT_C_SRC))
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -lcurl -ljansson -lsodium -lm

$(WEB_TREE): $(WEB_SRC) scripts/web.sh
	@$(if $(Q),echo "  WEB     $(BUILD)/web")
	$(Q)./scripts/web.sh $(BUILD)
	$(Q)touch $@

# libFuzzer targets: clang, with core and proto rebuilt instrumented.
FUZZ_CC := clang
FUZZ_FLAGS := -std=c17 -g -O1 -I. -I$(BLAS_INC) -D_DEFAULT_SOURCE \
              -DSC_DEBUG \
              -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_CXX_OBJ := $(patsubst %.cc,$(BUILD)/fuzz/obj/%.o,$(PROTO_CXX_SRC))
$(BUILD)/fuzz/obj/%.o: %.cc
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCXX $<")
	$(Q)clang++ -std=c++17 -g -O1 -I. -fno-exceptions -fno-rtti \
	  -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=vptr \
	  -fno-sanitize-recover=all -c $< -o $@
$(BUILD)/fuzz/%: tests/fuzz/%.c $(CORE_SRC) $(PROTO_SRC) $(FUZZ_CXX_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

run: deps-serve $(DAEMON) $(WEB_TREE)
	$(DAEMON) --listen $(LISTEN) --state $(STATE)

# The whole suite: unit tests, HTTP and client tests against a live
# server, the fuzz targets for a short bounded run.
test: deps
	$(Q)$(MAKE) --no-print-directory check

check: all
	$(Q)./scripts/test.sh $(BUILD)

unit: all
	$(Q)./scripts/test.sh $(BUILD) unit

http: all
	$(Q)./scripts/test.sh $(BUILD) http

fuzz-smoke: $(FUZZ_BIN)
	$(Q)./scripts/fuzz.sh $(BUILD) $(FUZZ_SECONDS)

fuzz: deps $(FUZZ_BIN)
	$(Q)./scripts/fuzz.sh $(BUILD) 300

asan: deps
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan SAN=1 OPT=-O1 check

valgrind: deps all
	$(Q)./scripts/test.sh $(BUILD) valgrind

style:
	$(Q)./scripts/style.sh

# Coverage of core/, proto/, server/ under the suite (README states it).
coverage: deps
	$(Q)./scripts/coverage.sh build-cov

# Mixed traffic for SOAK_SECONDS (default 300) with kill -9 restarts:
# fails if RSS grows after warm-up or an acknowledged write is lost.
soak: deps all
	$(Q)$(PY) scripts/soak.py $(BUILD)

bench: deps all
	$(Q)./scripts/bench.sh $(BUILD)

clean:
	rm -rf build build-asan build-cov

.SECONDARY:

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
